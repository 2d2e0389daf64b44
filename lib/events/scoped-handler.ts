import { ModuleRef } from '@nestjs/core';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import type { FlowDeliveryContext } from './flow-delivery-context.js';

/** What `DiscoveryService` tells of a provider (public fields of its `InstanceWrapper`). */
export interface DiscoveredProvider {
  readonly token: unknown;
  readonly host?: object | null;
  readonly instance?: unknown;
}

/**
 * Each module's own `ModuleRef`, keyed by the module: every module provides one under the
 * `ModuleRef` token, and `DiscoveryService` lists it with the module as its `host`.
 */
export function moduleRefsByHost(providers: readonly DiscoveredProvider[]): Map<object, ModuleRef> {
  const refs = new Map<object, ModuleRef>();
  for (const { token, host, instance } of providers) {
    if (token === ModuleRef && host && instance instanceof ModuleRef) refs.set(host, instance);
  }
  return refs;
}

/**
 * A handler of a request-scoped (or durable, or transient over request-scoped) provider: for each
 * delivery it resolves the provider in the delivery's context, from the module that declares it
 * (`strict`, with that module's own `ModuleRef`), then calls the method on that instance. Every
 * handler of one delivery shares the context, so a provider with two handlers for an event gets
 * one instance. A resolution that throws rejects like a failing handler: the delivery answers 500
 * and Cognito retries it.
 */
export function scopedHandle(
  provider: DiscoveredProvider,
  method: string,
  refs: ReadonlyMap<object, ModuleRef>,
  fallback: ModuleRef,
): (event: FlowWebhookEvent, delivery: FlowDeliveryContext) => Promise<unknown> {
  // The declaring module resolves the token there, even when another module provides the same
  // token (or a class of the same name).
  const hostRef = provider.host ? refs.get(provider.host) : undefined;
  const moduleRef = hostRef ?? fallback;
  const strict = hostRef !== undefined;
  const token = provider.token as Parameters<ModuleRef['resolve']>[0];
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
