import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { isCanonicalSignature } from '../http-signature/canonical-signature.js';

/**
 * The customer-reference signature's bytes: HMAC-SHA256 over the reference's UTF-8 bytes, keyed
 * with the API secret (`hmacSha256Key(secret)`). Its base64 is what `new Flow({ user })` takes.
 */
export function referenceHmac(key: KeyObject, customerReference: string): Buffer {
  return createHmac('sha256', key).update(customerReference, 'utf8').digest();
}

/**
 * True when `signature` is the canonical base64 of {@link referenceHmac} under one of `keys`.
 * Compared in constant time, and every key is tried, so the time taken does not tell which one
 * matched. False, never a throw, for a signature that is not canonical base64.
 */
export function matchesReferenceHmac(
  keys: readonly KeyObject[],
  customerReference: string,
  signature: unknown,
): boolean {
  if (!isCanonicalSignature(signature)) return false;
  const given = Buffer.from(signature, 'base64');
  let valid = false;
  for (const key of keys) {
    valid = timingSafeEqual(referenceHmac(key, customerReference), given) || valid;
  }
  return valid;
}
