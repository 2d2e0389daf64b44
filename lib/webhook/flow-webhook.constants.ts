/**
 * Metadata key set by {@link FlowWebhookRoute} on webhook handlers. A host's global auth guard
 * reads it (`reflector.getAllAndOverride(FLOW_WEBHOOK_ROUTE, [handler, class])`) to let Cognito's
 * deliveries through: they carry a webhook signature, not a user session.
 */
export const FLOW_WEBHOOK_ROUTE = 'nestjs-cognito-flow:webhook-route';

/** Property of the platform request where the guard puts the verified event for {@link VerifiedFlowEvent}. */
export const FLOW_WEBHOOK_EVENT_KEY = 'flowWebhookEvent';
