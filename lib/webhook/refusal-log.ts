/** Where a {@link RefusalLog} writes: a Nest `Logger`'s `warn`. */
export interface RefusalLogSink {
  warn(message: string): void;
}

/** Default interval of {@link RefusalLog}: one line per reason per minute at most. */
export const REFUSAL_LOG_INTERVAL_MS = 60_000;

interface ReasonWindow {
  /** When the last line for this reason was written. */
  loggedAt: number;
  /** Refusals for this reason since that line, not written. */
  suppressed: number;
}

/**
 * Bounds the log lines of unauthenticated refusals, so a flood of bad requests cannot fill a
 * host's logs: the first refusal of each reason is written at once, later ones within `intervalMs`
 * are only counted, and the next line for that reason says how many were left out. Reasons form a
 * fixed, small set, so memory stays bounded too.
 */
export class RefusalLog {
  readonly #windows = new Map<string, ReasonWindow>();

  constructor(
    private readonly sink: RefusalLogSink,
    private readonly intervalMs = REFUSAL_LOG_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one refusal for `reason`; writes `line` unless this reason was logged within the interval. */
  refused(reason: string, line: string): void {
    const now = this.now();
    const window = this.#windows.get(reason);
    if (window !== undefined && now - window.loggedAt < this.intervalMs) {
      window.suppressed += 1;
      return;
    }
    const suppressed = window?.suppressed ?? 0;
    this.#windows.set(reason, { loggedAt: now, suppressed: 0 });
    this.sink.warn(
      suppressed === 0
        ? line
        : `${line} (${suppressed} more refused for ${reason} since the last line, not logged)`,
    );
  }
}
