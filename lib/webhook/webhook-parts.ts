import type { Provider } from '@nestjs/common';
import { FlowWebhookRoutesCheck } from './flow-webhook-routes.check.js';
import { FlowWebhookGuard } from './flow-webhook.guard.js';

/**
 * What webhook verification adds to FlowModule: the guard, provided and exported for hosts' routes,
 * and the start-up check that binds each public path to one route (it uses the DiscoveryModule that
 * the events part imports). Whether the app keeps raw bodies cannot be read through Nest's public
 * API: the guard answers 500 to the first delivery without them and logs the fix once.
 */
export function webhookParts(): { providers: Provider[]; exports: Provider[] } {
  return {
    providers: [FlowWebhookGuard, FlowWebhookRoutesCheck],
    exports: [FlowWebhookGuard],
  };
}
