export * from './flow-webhook-event.js';
export * from './flow-webhook-verifier-options.js';
export * from './verify-flow-request.js';
export * from './verify-flow-webhook.js';
export { MAX_EVENT_ID_LENGTH } from './flow-event-payload.js';
