/** Which bench app a server child runs. */
export interface ServerSpec {
  /**
   * `signature`: endpoint + bare GET; `receiver`: built-in receiver + bare POST; `storm`: a
   * sample-shaped instance (Express, global prefix) whose handler takes 2 ms.
   */
  app: 'signature' | 'receiver' | 'storm';
  /** HTTP adapter. */
  platform: 'express' | 'fastify';
  /**
   * Receiver store: the module's default (the bounded memory store), Redis at `redisUrl`, or
   * PostgreSQL at `databaseUrl` in transactional mode.
   */
  store?: 'default' | 'redis' | 'postgres';
  /** `postgres://…` of the bench's own PostgreSQL. */
  databaseUrl?: string;
  /** `redis://127.0.0.1:<port>` of the bench's own redis-server. */
  redisUrl?: string;
  /** Ids completed in the store before the load starts. */
  prefillIds?: number;
  /**
   * The receiver's telemetry: `off` (`telemetry: false`, as without `@opentelemetry/api`), `api`
   * (the API without an SDK, the module's default), `metrics` (the metrics SDK with an in-memory
   * reader), `traces` (that and every span sampled, exported in memory), `ratio` (the same with a
   * parent-based sampler keeping one delivery in ten). Unset: the module's default.
   */
  telemetry?: 'off' | 'api' | 'metrics' | 'traces' | 'ratio';
  /**
   * Receiver only: a second app in the same process, the same receiver with `telemetry: false`,
   * on its own port. A pair in one process shares that process's luck (its placement and memory
   * layout), which on a shared machine moves one process's speed more than the telemetry does.
   */
  offTwin?: boolean;
  /**
   * Receiver only: extra CPU work, in µs, the measured app's handler does per event (its off twin
   * does none). A known cost, measured beside the telemetry's so those figures can be read by it.
   */
  handlerWorkMicros?: number;
}

/** What the parent asks a server child. */
export type ServerRequest =
  | { type: 'stats' }
  | { type: 'memory'; gc?: boolean }
  | { type: 'cpu' }
  | { type: 'calibrate' }
  | { type: 'runs' }
  | { type: 'peak' }
  | { type: 'stop' };

/** Answer to `calibrate`: CPU µs of one call, timed in the server process itself. */
export interface CalibrationAnswer {
  /** The prepared webhook verifier on the documented 340-byte delivery. */
  verifyMicros: number;
  /** The same after 4 MiB of other memory was walked before each call (past L1 and L2). */
  verifyL2Micros: number;
  /** The same after 32 MiB was walked (past L3 too: from main memory; wall µs of the call alone). */
  verifyColdMicros: number;
  /** `FlowSigner.sign` of the benchmark user's reference. */
  signMicros: number;
  /** The same after 4 MiB of other memory was walked before each call. */
  signL2Micros: number;
  /** The same after 32 MiB was walked before each call. */
  signColdMicros: number;
  /** `FlowEventDispatcher.dispatch` of a new event on the app's store (NaN without a receiver). */
  dispatchMicros: number;
}
