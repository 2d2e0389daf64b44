/** Why a customer reference was refused. */
export type InvalidCustomerReferenceReason =
  'not_string' | 'empty' | 'too_long' | 'control_character' | 'lone_surrogate';

/**
 * Thrown by `FlowSigner.sign` for a reference it must not sign. The message names the rule that
 * failed and never contains the reference itself (it may be personal data).
 */
export class InvalidCustomerReferenceError extends Error {
  /** Machine-readable cause; stable across releases. */
  readonly reason: InvalidCustomerReferenceReason;

  constructor(reason: InvalidCustomerReferenceReason, message: string) {
    super(`[nestjs-cognito-flow] ${message}`);
    this.name = 'InvalidCustomerReferenceError';
    this.reason = reason;
  }
}
