import type { Type } from '@nestjs/common';
import { FlowWebhookGuard } from './flow-webhook.guard.js';

/**
 * FlowWebhookGuard or its subclass, when `guard` (a class or an instance, as `@UseGuards()` takes
 * it) is one; undefined for any other guard. The start-up checks read a route's guards with it.
 */
export function webhookGuardType(guard: unknown): Type<FlowWebhookGuard> | undefined {
  const type: unknown = typeof guard === 'function' ? guard : (guard as object | null)?.constructor;
  if (typeof type !== 'function') return undefined;
  return type === FlowWebhookGuard || type.prototype instanceof FlowWebhookGuard
    ? (type as Type<FlowWebhookGuard>)
    : undefined;
}

/** True when `guard` (a class or an instance) is FlowWebhookGuard or its subclass. */
export function isWebhookGuard(guard: unknown): boolean {
  return webhookGuardType(guard) !== undefined;
}
