export * from './sign-flow-request.js';
export * from './flow-webhook-verification.error.js';
export {
  FLOW_SIGNED_HEADERS,
  buildFlowSigningString,
  flowDigest,
  flowRequestTarget,
  type FlowSigningStringParts,
} from './signing-string.js';
export { parseFlowAuthorization, type FlowAuthorizationParameters } from './parse-authorization.js';
export { parseImfFixdate } from './parse-imf-fixdate.js';
export { isCanonicalSignature } from './canonical-signature.js';
export { redactSecret } from './secret-shape.js';
export type { FlowWebhookHeaderSource } from './request-headers.js';
