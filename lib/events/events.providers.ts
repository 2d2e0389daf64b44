import type { DynamicModule, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { FLOW_OPTIONS } from '../flow.constants.js';
import { FLOW_EVENT_STORE } from './events.constants.js';
import type { FlowEventsSettings } from './event-processing-options.js';
import { FlowEventDispatcher } from './flow-event-dispatcher.js';
import { FlowEventExplorer } from './flow-event-explorer.js';
import { MemoryFlowEventStore } from './memory-event-store.js';

/**
 * What event dispatch adds to FlowModule: handler discovery, the dispatcher and the event store
 * (the host's `webhook.store`, or a bounded memory store).
 */
export function eventsProviders(): {
  imports: NonNullable<DynamicModule['imports']>;
  providers: Provider[];
  exports: NonNullable<DynamicModule['exports']>;
} {
  const storeProvider: Provider = {
    provide: FLOW_EVENT_STORE,
    useFactory: (options: FlowEventsSettings) =>
      options.webhook.store ?? new MemoryFlowEventStore(),
    inject: [FLOW_OPTIONS],
  };
  return {
    imports: [DiscoveryModule],
    providers: [storeProvider, FlowEventExplorer, FlowEventDispatcher],
    exports: [FLOW_EVENT_STORE, FlowEventDispatcher],
  };
}
