export * from './flow-webhook-event.js';
export * from './flow-webhook-verification.error.js';
export * from './flow-webhook-verifier-options.js';
export * from './verify-flow-webhook.js';
export {
  FLOW_SIGNED_HEADERS,
  buildFlowSigningString,
  flowDigest,
  flowRequestTarget,
  type FlowSigningStringParts,
} from './signing-string.js';
export { parseFlowAuthorization, type FlowAuthorizationParameters } from './parse-authorization.js';
export { parseImfFixdate } from './parse-imf-fixdate.js';
export { MAX_EVENT_ID_LENGTH } from './flow-event-payload.js';
export type { FlowWebhookHeaderSource } from './request-headers.js';
