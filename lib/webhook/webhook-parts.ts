import type { Provider } from '@nestjs/common';
import { FlowWebhookRoutesCheck } from './flow-webhook-routes.check.js';
import { FlowWebhookGuard } from './flow-webhook.guard.js';
import { FlowRawBodyCheck } from './raw-body-check.js';

/**
 * What webhook verification adds to FlowModule: the guard, provided and exported for hosts' routes,
 * the start-up check that binds each public path to one route (it uses the DiscoveryModule that
 * the events part imports), and the start-up check that the app keeps raw bodies.
 */
export function webhookParts(): { providers: Provider[]; exports: Provider[] } {
  return {
    providers: [FlowWebhookGuard, FlowWebhookRoutesCheck, FlowRawBodyCheck],
    exports: [FlowWebhookGuard],
  };
}
