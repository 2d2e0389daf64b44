import { FlowVerificationError } from '../http-signature/flow-verification.error.js';
import { isFlowJsonMediaType, trimHttpWhitespace } from '../http-signature/media-type.js';
import { REPEATED, singleHeader } from '../http-signature/request-headers.js';
import { parseFlowEventPayload } from './flow-event-payload.js';
import type { FlowWebhookEvent } from './flow-webhook-event.js';
import type { FlowSignedRequest, FlowVerifierOptions } from './flow-webhook-verifier-options.js';
import { preparedVerifierFor } from './prepared-verifier-cache.js';
import {
  assertFlowRequestShape,
  createShapeCheckedRequestVerifier,
  type FlowVerifyOverrides,
} from './signed-request-core.js';

/** A prepared verifier: returns the verified event or throws {@link FlowVerificationError}. */
export type FlowWebhookVerifier = (
  request: FlowSignedRequest,
  overrides?: FlowVerifyOverrides,
) => FlowWebhookEvent;

function refuse(reason: 'unsupported_content_type' | 'unsupported_content_encoding'): never {
  throw new FlowVerificationError(reason);
}

/**
 * Prepares a verifier once (options checked, secrets turned into key objects) for many requests.
 * Checks, cheapest first: body type, then the signed request as {@link createFlowRequestVerifier}
 * checks it (size, Authorization, keyId, algorithm, signed headers, Date window, Digest, the HMAC
 * under every secret in constant time, the Digest against the raw bytes), then the payload's shape.
 * @throws FlowConfigurationError at once for unusable options (never naming a secret's value).
 */
export function createFlowWebhookVerifier(options: FlowVerifierOptions): FlowWebhookVerifier {
  // The shape is checked once, below; the signature core then skips that check.
  const verifyRequest = createShapeCheckedRequestVerifier(options);
  return function verifyPrepared(request, overrides) {
    assertFlowRequestShape(request);
    const contentType = singleHeader(request, 'content-type');
    if (typeof contentType !== 'string' || !isFlowJsonMediaType(contentType))
      refuse('unsupported_content_type');
    const encoding = singleHeader(request, 'content-encoding');
    if (
      encoding !== undefined &&
      (encoding === REPEATED || trimHttpWhitespace(encoding).toLowerCase() !== 'identity')
    ) {
      refuse('unsupported_content_encoding');
    }
    verifyRequest(request, overrides);
    return parseFlowEventPayload(request.rawBody as Buffer);
  };
}

/**
 * Verifies one delivery and returns its event. The keys are prepared once per options object (and
 * again whenever what it holds changes), so passing the same options each time costs no more than
 * {@link createFlowWebhookVerifier}.
 * @throws FlowVerificationError with a stable `reason` for every refusal.
 */
export function verifyFlowWebhook(
  request: FlowSignedRequest,
  options: FlowVerifierOptions,
): FlowWebhookEvent {
  return preparedVerifierFor(options, createFlowWebhookVerifier)(request);
}
