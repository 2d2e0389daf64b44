import { InvalidCustomerReferenceError } from './invalid-customer-reference.error.js';

/** Longest accepted customer reference, in UTF-8 bytes. */
export const MAX_CUSTOMER_REFERENCE_BYTES = 1024;

// U+0000–U+001F and U+007F. The API secret also signs webhooks, whose signing strings are
// newline-joined lines: a signable reference with `\n` would be a forged webhook signature.
// C0 controls and DEL: Unicode's control characters (Cc) less the C1 block.
const CONTROL_CHARACTER = /[^\P{Cc}\u0080-\u009f]/u;
// A high surrogate not followed by a low one, or a low one not preceded by a high one. UTF-8
// encodes every lone surrogate as U+FFFD, so such references would share one signature.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Returns why `value` cannot be signed, or undefined when it can. Cheap enough for every call:
 * two regex scans and a byte count only for long strings.
 */
export function customerReferenceProblem(
  value: unknown,
): InvalidCustomerReferenceError | undefined {
  if (typeof value !== 'string') {
    return new InvalidCustomerReferenceError(
      'not_string',
      typeof value === 'number'
        ? 'A numeric customer reference must be a safe integer (Number.isSafeInteger); pass other ids as strings.'
        : `A customer reference must be a string, got ${value === null ? 'null' : typeof value}.`,
    );
  }
  if (value.length === 0) {
    return new InvalidCustomerReferenceError('empty', 'A customer reference must not be empty.');
  }
  // A UTF-16 unit is at most 3 UTF-8 bytes, so short strings need no byte count.
  if (
    value.length * 3 > MAX_CUSTOMER_REFERENCE_BYTES &&
    Buffer.byteLength(value, 'utf8') > MAX_CUSTOMER_REFERENCE_BYTES
  ) {
    return new InvalidCustomerReferenceError(
      'too_long',
      `A customer reference must be at most ${MAX_CUSTOMER_REFERENCE_BYTES} UTF-8 bytes; use the user's database id.`,
    );
  }
  if (CONTROL_CHARACTER.test(value)) {
    return new InvalidCustomerReferenceError(
      'control_character',
      'A customer reference must not contain control characters (U+0000–U+001F, U+007F): the same ' +
        'secret signs webhooks, and a reference with a newline could be a webhook signing string.',
    );
  }
  if (LONE_SURROGATE.test(value)) {
    return new InvalidCustomerReferenceError(
      'lone_surrogate',
      'A customer reference must be well-formed Unicode: a lone surrogate (U+D800–U+DFFF) is signed as ' +
        'U+FFFD, so different references would share one signature.',
    );
  }
  return undefined;
}

/** Throws {@link InvalidCustomerReferenceError} unless `value` is a signable customer reference. */
export function assertCustomerReference(value: unknown): asserts value is string {
  const problem = customerReferenceProblem(value);
  if (problem) throw problem;
}

/**
 * The text a customer reference is signed as: a string as given, a safe integer as its decimal
 * string (`42` → `'42'`, as Flow's snippet passes `currentUser.id`). Anything else (another number,
 * a non-integer, an unsafe integer, another type) is returned unchanged, for the string rules to refuse.
 */
export function customerReferenceText(value: unknown): unknown {
  return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
}
