// `nestjs-cognito-flow/protocol`: Cognito's draft-cavage HTTP signatures (HMAC-SHA256) without
// Nest: the signing string, signing a request, parsing, verifying, and the refusal reasons.
export {
  FLOW_SIGNED_HEADERS,
  buildFlowSigningString,
  flowDigest,
  flowRequestTarget,
  type FlowSigningStringParts,
} from '../http-signature/signing-string.js';
export {
  parseFlowAuthorization,
  type FlowAuthorizationParameters,
} from '../http-signature/parse-authorization.js';
export {
  createFlowRequestSigner,
  signFlowRequest,
  type FlowRequestSigner,
  type FlowRequestSignerOptions,
  type FlowRequestToSign,
  type FlowSignatureHeaders,
} from '../http-signature/sign-flow-request.js';
export {
  FLOW_VERIFICATION_REASONS,
  FLOW_VERIFICATION_REASON_INFO,
  FlowVerificationError,
  type FlowVerificationReason,
} from '../http-signature/flow-verification.error.js';
export type { FlowHeaderSource } from '../http-signature/request-headers.js';
export type {
  FlowSignedRequest,
  FlowVerifierOptions,
} from '../verifier/flow-webhook-verifier-options.js';
export {
  createFlowRequestVerifier,
  type FlowRequestVerifier,
  type FlowVerifiedRequest,
  type FlowVerifyOverrides,
} from '../verifier/verify-flow-request.js';
export type {
  FlowEventName,
  FlowSession,
  FlowSessionStatus,
  FlowSessionStep,
  FlowWebhookEvent,
} from '../verifier/flow-webhook-event.js';
export {
  createFlowWebhookVerifier,
  verifyFlowWebhook,
  type FlowWebhookVerifier,
} from '../verifier/verify-flow-webhook.js';
