export { FLOW_WEBHOOK_ROUTE } from './flow-webhook.constants.js';
export { FlowWebhookGuard } from './flow-webhook.guard.js';
export { FlowWebhookRoute } from './flow-webhook-route.decorator.js';
export { VerifiedFlowEvent } from './verified-flow-event.decorator.js';
