import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import type { FlowEventContext } from './flow-event-context.js';
import { FlowDeliveryContext } from './flow-delivery-context.js';
import { moduleRefsByHost, scopedHandle } from './scoped-handler.js';
import { ANY_FLOW_EVENT, FLOW_EVENT_HANDLER_METADATA } from './on-flow-event.decorator.js';

/** An `@OnFlowEvent` method: the event and the delivery's context. */
type FlowEventMethod = (event: FlowWebhookEvent, context: FlowEventContext) => unknown;

/** One discovered `@OnFlowEvent` method, bound to its provider instance. */
export interface FlowEventHandlerRef {
  /** `ProviderClass.method`, for logs. */
  readonly name: string;
  /** The event name it was registered for, or `'*'`. */
  readonly event: string;
  /** Calls the method with the event (on the delivery's own instance when request-scoped). */
  readonly handle: (event: FlowWebhookEvent, delivery: FlowDeliveryContext) => unknown;
}

/** What one scan found: the lists {@link FlowEventExplorer.handlersFor} answers from. */
interface HandlerIndex {
  /** Per named event: its own handlers, then the `'*'` ones it does not already hold. */
  readonly resolved: Map<string, readonly FlowEventHandlerRef[]>;
  /** What an event without handlers of its own gets. */
  wildcard: readonly FlowEventHandlerRef[];
}

/**
 * Finds every `@OnFlowEvent` method on the host's providers, in every module, once at start-up,
 * with Nest's own `DiscoveryService`. A request-scoped (or durable) provider is resolved anew for
 * each delivery, in that delivery's own context.
 */
@Injectable()
export class FlowEventExplorer implements OnModuleInit {
  private readonly logger = new Logger('FlowEvents');
  private readonly byEvent = new Map<string, FlowEventHandlerRef[]>();
  private index?: HandlerIndex;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Scans the providers. */
  onModuleInit(): void {
    this.scan();
  }

  /** The handlers of `eventName`, then the `'*'` handlers: lists made once, at scan time. */
  handlersFor(eventName: string): readonly FlowEventHandlerRef[] {
    const index = this.scan();
    return index.resolved.get(eventName) ?? index.wildcard;
  }

  /** A new DI context for one delivery of `event` (`request`: the HTTP request, when there is one). */
  deliveryContext(
    event: FlowWebhookEvent,
    request?: unknown,
    eventContext?: FlowEventContext,
  ): FlowDeliveryContext {
    return new FlowDeliveryContext(this.moduleRef, event, request, eventContext);
  }

  private scan(): HandlerIndex {
    // One scan per registration, held by this instance: nothing is shared between apps.
    if (this.index) return this.index;
    this.index = { resolved: new Map(), wildcard: [] };
    // One instance can sit behind several tokens (aliases, re-provided classes): register it once.
    const seen = new Set<object>();
    const providers = this.discovery.getProviders();
    const refs = moduleRefsByHost(providers);
    for (const wrapper of providers) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || seen.has(instance)) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      const methods = this.scanner
        .getAllMethodNames(prototype)
        .map((method) => ({ method, names: this.namesOf(instance[method]) }))
        .filter((entry) => entry.names.length > 0);
      if (methods.length === 0) continue;
      seen.add(instance);
      const className = instance.constructor?.name ?? 'provider';
      const scoped = !wrapper.isDependencyTreeStatic();
      if (scoped) {
        this.logger.debug(
          `${className} is request-scoped: it is resolved anew for each delivery, in its own context.`,
        );
      }
      for (const { method, names } of methods) {
        // One function per method, shared by its names, so handlersFor can tell it is the same one.
        const handle = scoped
          ? scopedHandle(wrapper, method, refs, this.moduleRef)
          : (flowEvent: FlowWebhookEvent, delivery: FlowDeliveryContext): unknown =>
              (instance[method] as FlowEventMethod).call(
                instance,
                flowEvent,
                delivery.eventContext,
              );
        for (const event of names) this.add(event, `${className}.${method}`, handle);
      }
    }
    this.resolveLists(this.index);
    return this.index;
  }

  private resolveLists(index: HandlerIndex): void {
    index.wildcard = this.byEvent.get(ANY_FLOW_EVENT) ?? [];
    for (const [event, own] of this.byEvent) {
      if (event === ANY_FLOW_EVENT) continue;
      // A method registered for the name and for '*' runs once, not twice at the same time.
      const others = index.wildcard.filter(
        (ref) => !own.some((mine) => mine.handle === ref.handle),
      );
      index.resolved.set(event, [...own, ...others]);
    }
  }

  private namesOf(method: unknown): string[] {
    return typeof method === 'function'
      ? ((Reflect.getMetadata(FLOW_EVENT_HANDLER_METADATA, method) as string[] | undefined) ?? [])
      : [];
  }

  private add(event: string, name: string, handle: FlowEventHandlerRef['handle']): void {
    const list = this.byEvent.get(event) ?? [];
    list.push({ name, event, handle });
    this.byEvent.set(event, list);
    this.logger.debug(`${name} handles ${event}`);
  }
}
