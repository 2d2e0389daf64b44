import type { FlowCustomerIdentity } from './signature-endpoint-options.js';
import { customerReferenceProblem } from '../signing/customer-reference.js';

/**
 * A resolver's answer reduced to what is signed, or why nothing can be. `emailLeftOut` is the
 * reason code (`control_character`, `too_long`, `lone_surrogate`) of an e-mail that was dropped.
 */
export type CustomerIdentityReading =
  { identity: FlowCustomerIdentity; emailLeftOut?: string } | { problem: string };

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

/**
 * Reads a resolver's answer: a reference string or `{ customerReference, email? }`. Only those two
 * fields are kept, so nothing else the resolver returned can reach the response. Problems are
 * described by type only: the value may be personal data.
 */
export function readCustomerIdentity(value: unknown): CustomerIdentityReading {
  if (typeof value === 'string') {
    return value === ''
      ? { problem: 'returned an empty string' }
      : { identity: { customerReference: value } };
  }
  if (value === undefined || value === null) {
    return { problem: `returned ${String(value)}` };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { problem: `returned ${describe(value)} instead of a string` };
  }
  const { customerReference, email } = value as Record<string, unknown>;
  if (typeof customerReference !== 'string' || customerReference === '') {
    return {
      problem: `returned an object whose customerReference is ${customerReference === '' ? 'an empty string' : describe(customerReference)}`,
    };
  }
  // A missing or unusable e-mail only means Flow asks for it: not a reason to refuse.
  if (typeof email !== 'string' || email === '') return { identity: { customerReference } };
  // It goes into the same JSON as the reference, so it is held to the same rules.
  const problem = customerReferenceProblem(email);
  return problem === undefined
    ? { identity: { customerReference, email } }
    : { identity: { customerReference }, emailLeftOut: problem.reason };
}
