import type { Provider } from '@nestjs/common';
import { FlowWebhookGuard } from './flow-webhook.guard.js';
import { FlowRawBodyCheck } from './raw-body-check.js';

/**
 * What webhook verification adds to FlowModule: the guard, provided and exported for hosts' routes,
 * and the start-up check that their app keeps raw bodies.
 */
export function webhookParts(): { providers: Provider[]; exports: Provider[] } {
  return { providers: [FlowWebhookGuard, FlowRawBodyCheck], exports: [FlowWebhookGuard] };
}
