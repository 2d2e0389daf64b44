/** Stable codes of {@link FlowConfigurationError}, one per thing a host can get wrong. */
export type FlowConfigurationErrorCode =
  | 'missing_secret'
  | 'invalid_secret'
  | 'short_secret'
  | 'padded_secret'
  | 'quoted_value'
  | 'misplaced_key'
  | 'environment_mismatch'
  | 'invalid_option'
  | 'missing_guard'
  | 'missing_public_config'
  | 'missing_api_key'
  /** A setting refused under a production `NODE_ENV` (see `isProductionEnvironment`). */
  | 'production_setting';

/**
 * Thrown at start-up when the module's configuration is unsafe or unusable. The message says how
 * to fix it and never contains a secret's value.
 */
export class FlowConfigurationError extends Error {
  /** Machine-readable cause; stable across releases. */
  readonly code: FlowConfigurationErrorCode;

  constructor(code: FlowConfigurationErrorCode, message: string) {
    super(`[nestjs-cognito-flow] ${message}`);
    this.name = 'FlowConfigurationError';
    this.code = code;
  }
}
