import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { isCanonicalSignature } from '../http-signature/canonical-signature.js';
import { FlowWebhookVerificationError } from '../http-signature/flow-webhook-verification.error.js';
import { hmacSha256Key } from '../http-signature/hmac-key.js';
import {
  parseFlowAuthorization,
  parseSignedHeaders,
} from '../http-signature/parse-authorization.js';
import { parseFlowDigest } from '../http-signature/parse-digest.js';
import { parseImfFixdate } from '../http-signature/parse-imf-fixdate.js';
import { REPEATED, singleHeader } from '../http-signature/request-headers.js';
import {
  FLOW_SIGNED_HEADERS,
  buildFlowSigningString,
  flowRequestTarget,
  sha256Base64,
} from '../http-signature/signing-string.js';
import {
  resolveVerifierOptions,
  type FlowWebhookRequest,
  type FlowWebhookVerifierOptions,
} from './flow-webhook-verifier-options.js';

/** Per-call settings a framework adapter may vary per request. */
export interface FlowWebhookVerifyOverrides {
  /** Replaces the verifier's `publicPath` for this request. */
  publicPath?: string;
}

/** What a verified request was signed with. */
export interface FlowVerifiedRequest {
  /** The `keyId` the request announced (one of the configured API keys when they are set). */
  keyId: string;
}

/**
 * A prepared verifier of one signed request of any kind (a webhook delivery, or an API request
 * reaching a stand-in of Cognito's API): returns the key id or throws
 * {@link FlowWebhookVerificationError}. It reads the body only for its size and its digest.
 */
export type FlowRequestVerifier = (
  request: FlowWebhookRequest,
  overrides?: FlowWebhookVerifyOverrides,
) => FlowVerifiedRequest;

const COGNITO_HEADER_LIST: readonly string[] = FLOW_SIGNED_HEADERS.split(' ');

function refuse(
  reason: ConstructorParameters<typeof FlowWebhookVerificationError>[0],
  message?: string,
): never {
  throw new FlowWebhookVerificationError(reason, message);
}

/** `(request-target)` of the request, with the path swapped for `publicPath` (query kept) when set. */
export function receivedRequestTarget(
  method: string,
  url: string,
  publicPath: string | undefined,
): string {
  if (publicPath === undefined) return flowRequestTarget(method, url);
  const query = url.indexOf('?');
  return flowRequestTarget(method, query === -1 ? publicPath : publicPath + url.slice(query));
}

/**
 * Refuses (`invalid_request`) anything that is not an object with a string method and url and a
 * headers object: what a framework adapter must hand to a verifier.
 */
export function assertFlowRequestShape(request: unknown): asserts request is FlowWebhookRequest {
  if (
    request === null ||
    typeof request !== 'object' ||
    typeof (request as FlowWebhookRequest).method !== 'string' ||
    typeof (request as FlowWebhookRequest).url !== 'string' ||
    (request as FlowWebhookRequest).headers === null ||
    typeof (request as FlowWebhookRequest).headers !== 'object'
  ) {
    refuse('invalid_request');
  }
}

/**
 * The prepared verifier of {@link createFlowRequestVerifier} without its first check, the
 * request's shape: for callers that have just made that check themselves (the webhook verifier),
 * so the hot path makes it once. Not exported from the package.
 * @throws FlowConfigurationError at once for unusable options (never naming a secret's value).
 */
export function createShapeCheckedRequestVerifier(
  options: FlowWebhookVerifierOptions,
): FlowRequestVerifier {
  const resolved = resolveVerifierOptions(options);
  const keys: readonly KeyObject[] = resolved.secrets.map(hmacSha256Key);
  const apiKeys = resolved.apiKeys && new Set(resolved.apiKeys);
  const { toleranceMs, maxBodyBytes, now } = resolved;
  // Without a clock option, read the time without making a Date on every request.
  const nowMs = options?.now === undefined ? Date.now : () => now().getTime();

  return function verifyRequestPrepared(request, overrides) {
    const body = request.rawBody;
    if (!Buffer.isBuffer(body)) refuse('missing_raw_body');
    if (body.length > maxBodyBytes)
      refuse('body_too_large', `The body has ${body.length} bytes; the limit is ${maxBodyBytes}.`);

    const authorization = singleHeader(request, 'authorization');
    if (authorization === REPEATED) refuse('duplicate_authorization');
    if (authorization === undefined || authorization === '') refuse('missing_authorization');
    const parameters = parseFlowAuthorization(authorization);
    const { keyId, signature } = parameters;
    if (keyId === undefined || keyId === '') refuse('missing_key_id');
    if (apiKeys !== undefined && !apiKeys.has(keyId)) refuse('unknown_key_id');
    if (parameters.algorithm !== 'hmac-sha256') refuse('unsupported_algorithm');
    const signedHeaders =
      parameters.headers === FLOW_SIGNED_HEADERS
        ? COGNITO_HEADER_LIST
        : parseSignedHeaders(parameters.headers);
    if (signature === undefined || signature === '') refuse('missing_signature');
    if (!isCanonicalSignature(signature)) refuse('malformed_signature');

    const date = singleHeader(request, 'date');
    if (date === REPEATED) refuse('duplicate_date');
    if (date === undefined || date === '') refuse('missing_date');
    const sentAt = parseImfFixdate(date);
    if (Number.isNaN(sentAt)) refuse('malformed_date');
    const skew = nowMs() - sentAt;
    // Written so that NaN (a broken clock) fails closed: every comparison with NaN is false.
    if (!(skew <= toleranceMs)) refuse('stale_date');
    if (!(skew >= -toleranceMs)) refuse('future_date');

    const digest = singleHeader(request, 'digest');
    if (digest === REPEATED) refuse('duplicate_digest');
    if (digest === undefined || digest === '') refuse('missing_digest');
    const announced = parseFlowDigest(digest);

    // HTTP methods are case-sensitive and Cognito signs an upper-case one lower-cased: any other
    // spelling would alias a signed method (`PoST` signs like `POST`), so it cannot have been signed.
    if (!isUpperCaseMethod(request.method))
      refuse('bad_signature', 'The method is not an upper-case HTTP method.');
    const requestTarget = receivedRequestTarget(
      request.method,
      request.url,
      overrides?.publicPath ?? resolved.publicPath,
    );
    const signingString =
      signedHeaders === COGNITO_HEADER_LIST
        ? buildFlowSigningString({ requestTarget, date, digest })
        : genericSigningString(request, signedHeaders, requestTarget);
    // Canonical base64 of 32 bytes (checked above), so as long as every MAC.
    const given = Buffer.from(signature, 'base64');
    let valid = false;
    // Every secret is tried, so the time taken does not tell which one matched.
    for (const key of keys) {
      const mac = createHmac('sha256', key).update(signingString, 'utf8').digest();
      valid = timingSafeEqual(mac, given) || valid;
    }
    if (!valid) refuse('bad_signature');
    // A plain comparison is right here: both sides are public (the hash of the bytes the sender
    // sent, and what the sender announced), so its timing can tell an attacker nothing new. The
    // secret-bearing comparison, the HMAC above, is constant-time.
    if (sha256Base64(body) !== announced) refuse('digest_mismatch');
    return { keyId };
  };
}

function isUpperCaseMethod(method: string): boolean {
  if (method.length === 0) return false;
  for (let i = 0; i < method.length; i++) {
    const c = method.charCodeAt(i);
    if (c < 0x41 || c > 0x5a) return false;
  }
  return true;
}

function genericSigningString(
  request: FlowWebhookRequest,
  names: readonly string[],
  requestTarget: string,
): string {
  let result = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    let value: string;
    if (name === '(request-target)') {
      value = requestTarget;
    } else {
      const header = singleHeader(request, name);
      if (header === undefined || header === REPEATED)
        refuse('missing_signed_header', `The signed header ${name} is missing or repeated.`);
      value = header;
    }
    result += i === 0 ? `${name}: ${value}` : `\n${name}: ${value}`;
  }
  return result;
}
