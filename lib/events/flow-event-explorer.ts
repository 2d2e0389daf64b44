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
  /** Per named event: its own handlers, then the `'*'` ones it does not already hold. */
  private readonly resolved = new Map<string, readonly FlowEventHandlerRef[]>();
  /** What an event without handlers of its own gets. */
  private wildcard: readonly FlowEventHandlerRef[] = [];
  private scanned = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /** Scans the providers. */
  onModuleInit(): void {
    this.scan();
  }

  /** The handlers of `eventName`, then the `'*'` handlers: lists made once, at scan time. */
  handlersFor(eventName: string): readonly FlowEventHandlerRef[] {
    this.scan();
    return this.resolved.get(eventName) ?? this.wildcard;
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
        this.logger.warn(
          `${className} is request-scoped: its @OnFlowEvent handlers are ignored. Make it a singleton.`,
        );
        continue;
      }
      for (const { method, names } of methods) {
        // One function per method, shared by its names, so handlersFor can tell it is the same one.
        const handle = (flowEvent: FlowWebhookEvent): unknown =>
          (instance[method] as (event: FlowWebhookEvent) => unknown).call(instance, flowEvent);
        for (const event of names) this.add(event, `${className}.${method}`, handle);
      }
    }
    this.resolveLists();
  }

  private resolveLists(): void {
    this.wildcard = this.byEvent.get(ANY_FLOW_EVENT) ?? [];
    for (const [event, own] of this.byEvent) {
      if (event === ANY_FLOW_EVENT) continue;
      // A method registered for the name and for '*' runs once, not twice at the same time.
      const others = this.wildcard.filter((ref) => !own.some((mine) => mine.handle === ref.handle));
      this.resolved.set(event, [...own, ...others]);
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
