import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { FlowOptions } from '../config/flow-options.js';
import { FLOW_OPTIONS } from '../flow.constants.js';
import { FLOW_EVENT_STORE } from './events.constants.js';
import { FlowEventDispatcher } from './flow-event-dispatcher.js';
import { FlowEventExplorer } from './flow-event-explorer.js';
import { createFlowWebhookReceiver } from './flow-webhook-receiver.controller.js';
import { MemoryFlowEventStore } from './memory-event-store.js';
import { routeDecorators, type FlowRouteShape } from '../routing/route-shape.js';

/**
 * What event dispatch adds to FlowModule: handler discovery, the dispatcher, the event store
 * (the host's `webhook.store`, or a bounded memory store) and, only when `receiverPath` is set,
 * the built-in receiver route.
 */
export function eventsParts(
  receiverPath: string | undefined,
  shape: FlowRouteShape = {},
): {
  controllers: Type[];
  imports: NonNullable<DynamicModule['imports']>;
  providers: Provider[];
  exports: NonNullable<DynamicModule['exports']>;
} {
  const storeProvider: Provider = {
    provide: FLOW_EVENT_STORE,
    useFactory: (options: FlowOptions) => options.webhook.store ?? new MemoryFlowEventStore(),
    inject: [FLOW_OPTIONS],
  };
  return {
    controllers:
      receiverPath === undefined
        ? []
        : [
            createFlowWebhookReceiver(receiverPath, {
              version: shape.version,
              decorators: routeDecorators(shape.decorators, 'webhook'),
            }),
          ],
    imports: [DiscoveryModule],
    providers: [storeProvider, FlowEventExplorer, FlowEventDispatcher],
    exports: [FLOW_EVENT_STORE, FlowEventDispatcher],
  };
}
