/**
 * The one spelling of standard base64 for exactly 32 bytes (an HMAC-SHA256): 42 free characters,
 * a last character whose two low bits are zero, and one `=`. The looser `{43}=` admits four
 * spellings of each signature, so a "different" signature could verify.
 */
export const CANONICAL_SIGNATURE = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** True when `value` is the canonical base64 spelling of 32 bytes. */
export function isCanonicalSignature(value: unknown): value is string {
  return typeof value === 'string' && value.length === 44 && CANONICAL_SIGNATURE.test(value);
}
