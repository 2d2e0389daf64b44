import type { Provider } from '@nestjs/common';
import { FlowWebhookGuard } from './flow-webhook.guard.js';

/** What webhook verification adds to FlowModule: the guard, provided and exported for hosts' routes. */
export function webhookParts(): { providers: Provider[]; exports: Provider[] } {
  return { providers: [FlowWebhookGuard], exports: [FlowWebhookGuard] };
}
