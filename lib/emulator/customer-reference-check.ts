import { timingSafeEqual } from 'node:crypto';
import { hmacSha256Key } from '../http-signature/hmac-key.js';
import { customerReferenceProblem, customerReferenceText } from '../signing/customer-reference.js';
import { matchesReferenceHmac } from '../signing/reference-hmac.js';

/** Why `new Flow(…)` was refused, with the message Flow's console shows. */
export interface FlowStartRefusal {
  /** Stable code: `unknown_publishable_key`, `unknown_template`, `invalid_customer_reference`, `invalid_signature`. */
  code: string;
  /** What the browser console shows. */
  message: string;
  /** HTTP status the emulator answers. */
  status: number;
}

/** A `new Flow(…)` configuration Flow opens with. */
export interface FlowStartGrant {
  /** The reference as signed and stored: a safe integer becomes its decimal string. */
  customerReference: string;
  /** False for an unsigned reference (Flow allows a limited number of those). */
  signed: boolean;
  /** `user.email`, when it is a string. */
  email?: string;
}

/** What the browser hands to `new Flow(…)`, as received. */
export interface FlowStartRequest {
  publishableKey?: unknown;
  templateId?: unknown;
  user?: { customerReference?: unknown; signature?: unknown; email?: unknown } | null;
}

/** The keys a start check compares against. */
export interface FlowStartCheckKeys {
  apiSecret: string;
  publishableKey: string;
  templateId: string;
}

/** Checks a `new Flow(…)` configuration: the refusal, or the grant when Flow would open. */
export type FlowStartCheck = (request: FlowStartRequest) => FlowStartRefusal | FlowStartGrant;

function refusal(code: string, message: string, status = 401): FlowStartRefusal {
  return { code, message, status };
}

/**
 * Prepares the checks Flow makes when a page opens it: a known publishable key and template, then
 * the customer reference (a string, or a safe integer taken as its decimal string) and its
 * signature, base64(HMAC-SHA256(secret, reference)) compared in constant time. A reference
 * without a signature is granted as unsigned: the caller counts those. The key object is made once.
 */
export function createFlowStartCheck(keys: FlowStartCheckKeys): FlowStartCheck {
  const key = hmacSha256Key(keys.apiSecret);
  const publishableKey = Buffer.from(keys.publishableKey);
  return (request) => {
    const given = typeof request.publishableKey === 'string' ? request.publishableKey : '';
    const givenBytes = Buffer.from(given);
    if (givenBytes.length !== publishableKey.length || !timingSafeEqual(givenBytes, publishableKey))
      return refusal(
        'unknown_publishable_key',
        'Flow: unknown publishableKey. Use the publishable key the emulator printed.',
      );
    if (request.templateId !== keys.templateId)
      return refusal(
        'unknown_template',
        'Flow: unknown templateId. Use the template id the emulator printed.',
      );
    const user = request.user;
    const reference = customerReferenceText(user?.customerReference);
    if (customerReferenceProblem(reference) !== undefined)
      return refusal(
        'invalid_customer_reference',
        'Flow: user.customerReference must be a non-empty string without control characters, or a safe integer.',
        422,
      );
    const email = typeof user?.email === 'string' ? user.email : undefined;
    const signature = user?.signature;
    if (signature === undefined || signature === null || signature === '')
      return { customerReference: reference as string, signed: false, email };
    if (!matchesReferenceHmac([key], reference as string, signature))
      return refusal(
        'invalid_signature',
        'Flow: invalid signature for this customer reference. The signature must be ' +
          'base64(HMAC-SHA256(API secret, customerReference)), computed on your backend.',
      );
    return { customerReference: reference as string, signed: true, email };
  };
}
