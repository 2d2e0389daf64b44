import { ModuleRef } from '@nestjs/core';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import type { FlowDeliveryContext } from './flow-delivery-context.js';

/** The parts of a discovered provider's wrapper a scoped handler needs. */
interface ScopedProvider {
  readonly token: unknown;
  readonly name?: unknown;
  readonly host?: { readonly providers: Map<unknown, { readonly instance: unknown }> } | null;
}

/**
 * A handler of a request-scoped (or durable, or transient over request-scoped) provider: for each
 * delivery it resolves the provider in the delivery's context, from the module that declares it,
 * then calls the method on that instance. Every handler of one delivery shares the context, so a
 * provider with two handlers for an event gets one instance. A resolution that throws rejects
 * like a failing handler: the delivery answers 500 and Cognito retries it.
 */
export function scopedHandle(
  wrapper: ScopedProvider,
  method: string,
  fallback: ModuleRef,
): (event: FlowWebhookEvent, delivery: FlowDeliveryContext) => Promise<unknown> {
  // The declaring module's own ModuleRef resolves the token there, even when another module
  // provides a class of the same name.
  const hostRef = wrapper.host?.providers.get(ModuleRef)?.instance;
  const moduleRef = hostRef instanceof ModuleRef ? hostRef : fallback;
  const strict = moduleRef === hostRef;
  const token = wrapper.token as Parameters<ModuleRef['resolve']>[0];
  return async (event, delivery) => {
    const instance = await moduleRef.resolve<unknown, Record<string, unknown>>(
      token,
      delivery.contextId,
      { strict },
    );
    return (
      instance[method] as (
        event: FlowWebhookEvent,
        context: FlowDeliveryContext['eventContext'],
      ) => unknown
    ).call(instance, event, delivery.eventContext);
  };
}
