/** Stable codes of {@link FlowEmulatorError}. */
export type FlowEmulatorErrorCode =
  | 'invalid_option'
  | 'remote_webhook_url'
  | 'closed'
  /** A production `NODE_ENV` or `live_` keys without `allowProduction`. */
  | 'production'
  /** A session change that does not fit its state (ending an ended session, retrying none). */
  | 'session_state';

/**
 * Thrown when the emulator cannot start with the options given, or is used after `close()`. The
 * message says how to fix it and never contains a secret.
 */
export class FlowEmulatorError extends Error {
  /** Machine-readable cause; stable across releases. */
  readonly code: FlowEmulatorErrorCode;

  constructor(code: FlowEmulatorErrorCode, message: string) {
    super(`[nestjs-cognito-flow emulator] ${message}`);
    this.name = 'FlowEmulatorError';
    this.code = code;
  }
}
