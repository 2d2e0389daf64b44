import {
  assertFlowRequestShape,
  createShapeCheckedRequestVerifier,
} from './signed-request-core.js';
import type { FlowVerifierOptions } from './flow-webhook-verifier-options.js';
import type { FlowRequestVerifier } from './signed-request-core.js';

export {
  assertFlowRequestShape,
  receivedRequestTarget,
  type FlowRequestVerifier,
  type FlowVerifiedRequest,
  type FlowVerifyOverrides,
} from './signed-request-core.js';

/**
 * Prepares a verifier of Cognito's draft-cavage scheme once (options checked, secrets turned into
 * key objects) for many requests. Checks, cheapest first: the request's shape, raw body present
 * and within the size limit, Authorization syntax, keyId, algorithm, signed headers, Date window,
 * Digest syntax, the HMAC under every secret (constant time), then the Digest against the raw
 * bytes. A request without a body passes an empty Buffer and must carry the empty body's Digest.
 * @throws FlowConfigurationError at once for unusable options (never naming a secret's value).
 */
export function createFlowRequestVerifier(options: FlowVerifierOptions): FlowRequestVerifier {
  const verify = createShapeCheckedRequestVerifier(options);
  return function verifyRequestPrepared(request, overrides) {
    assertFlowRequestShape(request);
    return verify(request, overrides);
  };
}
