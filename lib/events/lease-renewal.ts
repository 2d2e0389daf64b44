import type { Logger } from '@nestjs/common';
import { escapeTerminalText } from '../delivery/escape-terminal.js';
import type { FlowEventStore } from './flow-event-store.interface.js';

/** A claim kept alive while its handlers run; `stop()` ends it. */
export interface LeaseRenewal {
  /** Stops renewing; results of a renewal still in flight are ignored. */
  stop(): void;
  /** True once the store said the claim belongs to someone else. */
  readonly lost: boolean;
}

class Hold implements LeaseRenewal {
  lost = false;
  stopped = false;
  inFlight = false;

  constructor(
    readonly id: string,
    readonly token: string,
    private readonly holds: Set<Hold>,
  ) {
    holds.add(this);
  }

  stop(): void {
    this.stopped = true;
    this.holds.delete(this);
  }
}

/**
 * Keeps the claims of the deliveries under way alive: one timer for all of them, ticking every
 * third of the lease while any claim is held, renews each claim it finds (so a slow handler keeps
 * its id). One shared timer rather than one per delivery, because a timer set and cleared on every
 * event costs more than the rest of a fast handler's bookkeeping. A renewal the store refuses means
 * the lease lapsed and another owner took the id: logged once. A renewal that fails (store down)
 * is logged and tried again on the next tick.
 */
export class LeaseKeeper {
  private readonly holds = new Set<Hold>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly tickMs: number;

  constructor(
    private readonly store: FlowEventStore,
    private readonly leaseMs: number,
    private readonly logger: Logger,
  ) {
    // A claim is renewed at most a third of a lease after it was taken or last renewed.
    this.tickMs = Math.max(Math.floor(leaseMs / 3), 50);
  }

  /** Starts keeping the claim `token` holds on `id` alive, until `stop()`. */
  hold(id: string, token: string): LeaseRenewal {
    const hold = new Hold(id, token, this.holds);
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.tick(), this.tickMs);
      this.timer.unref();
    }
    return hold;
  }

  /** Stops the timer; claims still held are no longer renewed. */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const hold of this.holds) hold.stop();
  }

  private tick(): void {
    // Idle: the timer goes until the next claim, so a quiet process has no timer of ours.
    if (this.holds.size === 0) {
      this.close();
      return;
    }
    for (const hold of this.holds) if (!hold.inFlight) this.renew(hold);
  }

  private renew(hold: Hold): void {
    hold.inFlight = true;
    // Through a promise: a host store that throws instead of rejecting must not crash the process from a timer.
    Promise.resolve()
      .then(() => this.store.renew(hold.id, hold.token, this.leaseMs))
      .then((owned) => {
        if (hold.stopped || owned) return;
        hold.lost = true;
        hold.stop();
        this.logger.warn(
          `Flow event ${escapeTerminalText(hold.id)}: its claim expired and was taken over while handlers ran.`,
        );
      })
      .catch((error: unknown) => {
        if (!hold.stopped)
          this.logger.warn(
            `Flow event ${escapeTerminalText(hold.id)}: lease renewal failed: ` +
              escapeTerminalText(String((error as Error)?.message ?? error)),
          );
      })
      .finally(() => {
        hold.inFlight = false;
      });
  }
}
