/** Why a store could not answer (`full`: a bounded store holds only claims in progress). */
export type FlowEventStoreFailure = 'timeout' | 'not_connected' | 'command_failed' | 'full';

/**
 * A store could not be reached or answered in time. The receiver answers 503 so Cognito
 * retries; nothing is processed without a claim. The message names the cause, never a password.
 */
export class FlowEventStoreUnavailableError extends Error {
  /** Stable code for logs and alerts. */
  readonly code = 'flow_event_store_unavailable';

  constructor(
    /** What went wrong. */
    readonly reason: FlowEventStoreFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FlowEventStoreUnavailableError';
  }
}
