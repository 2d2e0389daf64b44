import { hash } from 'node:crypto';

/** The header list Cognito signs, in its order. */
export const FLOW_SIGNED_HEADERS = '(request-target) date digest';

/** What a Flow webhook signature covers. */
export interface FlowSigningStringParts {
  /** `(request-target)`: lower-case method, a space, the path and query exactly as sent. */
  requestTarget: string;
  /** The `Date` header value. */
  date: string;
  /** The `Digest` header value (`SHA-256=…`). */
  digest: string;
}

/**
 * The `(request-target)` value: the method in lower case, a space, and the path with its query
 * exactly as sent (no host, no decoding, no normalisation).
 */
export function flowRequestTarget(method: string, pathAndQuery: string): string {
  return `${method.toLowerCase()} ${pathAndQuery}`;
}

/**
 * The signing string of a Flow webhook: `(request-target)`, `date` and `digest` lines joined by
 * `\n`, with no trailing newline. `base64(HMAC-SHA256(secret, this))` is the signature.
 */
export function buildFlowSigningString(parts: FlowSigningStringParts): string {
  return `(request-target): ${parts.requestTarget}\ndate: ${parts.date}\ndigest: ${parts.digest}`;
}

/**
 * Canonical base64 of SHA-256 of `body` (a string is hashed as UTF-8), as a Digest header holds
 * it. One-shot `crypto.hash` (Node 20.12+, within the supported engines): no Hash object per
 * request, and text output, which Node 20 makes several times faster than its `'buffer'` output.
 */
export function sha256Base64(body: Buffer | string): string {
  return hash('sha256', body, 'base64');
}

/** The `Digest` header value of a body: `SHA-256=` + base64(SHA-256(raw bytes)). */
export function flowDigest(body: Buffer | string): string {
  return `SHA-256=${sha256Base64(body)}`;
}
