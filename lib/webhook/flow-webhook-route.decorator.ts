import { SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import { FLOW_WEBHOOK_ROUTE } from './flow-webhook.constants.js';
import { FlowWebhookGuard } from './flow-webhook.guard.js';

/**
 * Marks a handler as the Flow webhook receiver and guards it with {@link FlowWebhookGuard}, in one
 * decorator: a route can never be exempted from the host's auth guard without being verified.
 * Host guards read {@link FLOW_WEBHOOK_ROUTE} to skip user authentication on it.
 */
export const FlowWebhookRoute = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(FLOW_WEBHOOK_ROUTE, true), UseGuards(FlowWebhookGuard));
