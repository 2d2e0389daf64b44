/**
 * Every reason a webhook delivery can be refused, each with the HTTP status a receiver should
 * answer and what it means. Stable across releases: log them, alert on them, test against them.
 */
export const FLOW_VERIFICATION_REASON_INFO = {
  invalid_request: {
    status: 400,
    description:
      'The request object lacks a string method/url or a headers object (an adapter bug).',
  },
  unsupported_content_type: {
    status: 415,
    description:
      'Content-Type is missing, repeated, not application/json, or has a parameter other than charset=utf-8.',
  },
  unsupported_content_encoding: {
    status: 415,
    description:
      'Content-Encoding is repeated or not identity (a compressed body is never hashed).',
  },
  missing_raw_body: {
    status: 500,
    description:
      'The raw body bytes are unavailable: create the app with NestFactory.create(AppModule, { rawBody: true }).',
  },
  body_too_large: {
    status: 413,
    description: 'The body is larger than maxBodyBytes; refused before hashing.',
  },
  missing_authorization: { status: 401, description: 'No Authorization header.' },
  duplicate_authorization: { status: 401, description: 'More than one Authorization header.' },
  unsupported_scheme: { status: 401, description: 'The Authorization scheme is not `Signature`.' },
  malformed_authorization: {
    status: 401,
    description:
      'Authorization parameters are not strictly `name="value"` pairs of printable ASCII separated by commas.',
  },
  duplicate_parameter: { status: 401, description: 'An Authorization parameter appears twice.' },
  unknown_parameter: {
    status: 401,
    description: 'An Authorization parameter other than keyId, algorithm, headers, signature.',
  },
  missing_key_id: { status: 401, description: 'keyId is missing or empty.' },
  unknown_key_id: { status: 401, description: 'keyId is not one of the configured API keys.' },
  unsupported_algorithm: {
    status: 401,
    description: 'algorithm is missing or not exactly `hmac-sha256`.',
  },
  invalid_signed_headers: {
    status: 401,
    description:
      'The headers parameter is missing, empty, or has empty, repeated or invalid names.',
  },
  unsupported_pseudo_header: {
    status: 401,
    description: 'The headers parameter lists (created), (expires) or another pseudo-header.',
  },
  unsigned_required_header: {
    status: 401,
    description: 'The headers parameter does not cover (request-target), date and digest.',
  },
  missing_signed_header: {
    status: 401,
    description: 'A header listed in the headers parameter is missing or repeated.',
  },
  missing_signature: { status: 401, description: 'signature is missing or empty.' },
  malformed_signature: {
    status: 401,
    description: 'signature is not the canonical base64 spelling of 32 bytes.',
  },
  missing_date: { status: 401, description: 'No Date header.' },
  duplicate_date: { status: 401, description: 'More than one Date header.' },
  malformed_date: {
    status: 401,
    description: 'Date is not a valid IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).',
  },
  stale_date: { status: 401, description: 'Date is further in the past than toleranceSeconds.' },
  future_date: { status: 401, description: 'Date is further in the future than toleranceSeconds.' },
  missing_digest: {
    status: 401,
    description: 'No Digest header (required even for an empty body).',
  },
  duplicate_digest: { status: 401, description: 'More than one Digest header.' },
  unsupported_digest_algorithm: {
    status: 401,
    description: 'Digest uses, or lists, an algorithm other than SHA-256.',
  },
  malformed_digest: {
    status: 401,
    description: 'Digest is not `SHA-256=` and the canonical base64 of 32 bytes.',
  },
  bad_signature: {
    status: 401,
    description:
      'The signature matches no configured secret for this method, target, Date and Digest.',
  },
  digest_mismatch: {
    status: 401,
    description: 'The signed Digest is not the SHA-256 of the raw body bytes.',
  },
  invalid_payload: {
    status: 400,
    description:
      'The signed body is not a Flow event (a JSON object with string id, string event, object data).',
  },
} as const satisfies Record<string, { status: number; description: string }>;

/** A stable, machine-readable cause of a refusal; see {@link FLOW_VERIFICATION_REASON_INFO}. */
export type FlowVerificationReason = keyof typeof FLOW_VERIFICATION_REASON_INFO;

/** Every {@link FlowVerificationReason}, in the order the verifier checks them. */
export const FLOW_VERIFICATION_REASONS = Object.freeze(
  Object.keys(FLOW_VERIFICATION_REASON_INFO),
) as readonly FlowVerificationReason[];

/**
 * Thrown by the verifier for every refused delivery. `reason` is stable; `status` is the HTTP
 * status to answer. The message describes the check that failed, never a secret or a signature.
 */
export class FlowVerificationError extends Error {
  /** Machine-readable cause; stable across releases. */
  readonly reason: FlowVerificationReason;
  /** Suggested HTTP status: 401 for refusals, 400/413/415 for bad bodies, 500 for misconfiguration. */
  readonly status: number;

  constructor(
    reason: FlowVerificationReason,
    message: string = FLOW_VERIFICATION_REASON_INFO[reason].description,
  ) {
    super(`[nestjs-cognito-flow] Flow webhook refused (${reason}): ${message}`);
    this.name = 'FlowVerificationError';
    this.reason = reason;
    this.status = FLOW_VERIFICATION_REASON_INFO[reason].status;
  }
}
