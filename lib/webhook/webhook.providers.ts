import type { Provider, Type } from '@nestjs/common';
import { routeDecorators, type FlowRouteShape } from '../routing/route-shape.js';
import { createFlowWebhookReceiver } from './flow-webhook-receiver.controller.js';
import { FlowWebhookRoutesCheck } from './flow-webhook-routes.check.js';
import { FlowWebhookGuard } from './flow-webhook.guard.js';

/**
 * What webhook verification adds to FlowModule: the guard, provided and exported for hosts' routes,
 * the start-up check that binds each public path to one route (it uses the DiscoveryModule that
 * the events part imports), and, only when `receiverPath` is set, the built-in receiver route.
 * Whether the app keeps raw bodies cannot be read through Nest's public API: the guard answers
 * 500 to the first delivery without them and logs the fix once.
 */
export function webhookProviders(
  receiverPath: string | undefined,
  shape: FlowRouteShape = {},
): { controllers: Type[]; providers: Provider[]; exports: Provider[] } {
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
    providers: [FlowWebhookGuard, FlowWebhookRoutesCheck],
    exports: [FlowWebhookGuard],
  };
}
