import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import { ANY_FLOW_EVENT, FLOW_EVENT_HANDLER_METADATA } from './on-flow-event.decorator.js';

/** One discovered `@OnFlowEvent` method, bound to its provider instance. */
export interface FlowEventHandlerRef {
  /** `ProviderClass.method`, for logs. */
  readonly name: string;
  /** The event name it was registered for, or `'*'`. */
  readonly event: string;
  /** Calls the method with the event. */
  readonly handle: (event: FlowWebhookEvent) => unknown;
}

/**
 * Finds every `@OnFlowEvent` method on the host's providers, in every module, once at start-up,
 * with Nest's own `DiscoveryService`. Request-scoped providers cannot receive webhooks (there is
 * no request of theirs): they are skipped with a warning.
 */
@Injectable()
export class FlowEventExplorer implements OnModuleInit {
  private readonly logger = new Logger('FlowEvents');
  private readonly byEvent = new Map<string, FlowEventHandlerRef[]>();
  private scanned = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /** Scans the providers. */
  onModuleInit(): void {
    this.scan();
  }

  /** The handlers of `eventName`, then the `'*'` handlers. */
  handlersFor(eventName: string): FlowEventHandlerRef[] {
    this.scan();
    const own = eventName === ANY_FLOW_EVENT ? [] : (this.byEvent.get(eventName) ?? []);
    // A method registered for the name and for '*' runs once, not twice at the same time.
    const wildcard = (this.byEvent.get(ANY_FLOW_EVENT) ?? []).filter((ref) => !own.some((mine) => mine.handle === ref.handle));
    return [...own, ...wildcard];
  }

  private scan(): void {
    if (this.scanned) return;
    this.scanned = true;
    // One instance can sit behind several tokens (aliases, re-provided classes): register it once.
    const seen = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
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
      if (!wrapper.isDependencyTreeStatic()) {
        this.logger.warn(`${className} is request-scoped: its @OnFlowEvent handlers are ignored. Make it a singleton.`);
        continue;
      }
      for (const { method, names } of methods) {
        // One function per method, shared by its names, so handlersFor can tell it is the same one.
        const handle = (flowEvent: FlowWebhookEvent): unknown =>
          (instance[method] as (event: FlowWebhookEvent) => unknown).call(instance, flowEvent);
        for (const event of names) this.add(event, `${className}.${method}`, handle);
      }
    }
  }

  private namesOf(method: unknown): string[] {
    return typeof method === 'function' ? (Reflect.getMetadata(FLOW_EVENT_HANDLER_METADATA, method) ?? []) : [];
  }

  private add(event: string, name: string, handle: FlowEventHandlerRef['handle']): void {
    const list = this.byEvent.get(event) ?? [];
    list.push({ name, event, handle });
    this.byEvent.set(event, list);
    this.logger.debug(`${name} handles ${event}`);
  }
}
