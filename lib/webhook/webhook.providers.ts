import type { Provider, Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { routeDecorators, type FlowRouteShape } from '../routing/route-shape.js';
import { createFlowWebhookReceiver } from './flow-webhook-receiver.controller.js';
import { otherGuardRefusalModule } from './other-guard-refusal.js';
import { FlowWebhookGlobalGuardsCheck } from './webhook-global-guards.check.js';
import { FlowWebhookRoutesCheck } from './flow-webhook-routes.check.js';
import { FlowWebhookGuard } from './flow-webhook.guard.js';

/**
 * What webhook verification adds to FlowModule: the guard, provided and exported for hosts' routes,
 * the start-up checks that bind each public path to one route and warn about global guards on
 * the webhook routes (they use the DiscoveryModule that the events part imports), and, only when
 * `receiverPath` is set, the built-in receiver route with the watch that logs other guards' refusals.
 * Whether the app keeps raw bodies cannot be read through Nest's public API: the guard answers
 * 500 to the first delivery without them and logs the fix once.
 */
export function webhookProviders(
  receiverPath: string | undefined,
  shape: FlowRouteShape = {},
): { imports: Type[]; controllers: Type[]; providers: Provider[]; exports: Provider[] } {
  const receiver =
    receiverPath === undefined
      ? undefined
      : createFlowWebhookReceiver(receiverPath, {
          version: shape.version,
          decorators: routeDecorators(shape.decorators, 'webhook'),
        });
  const globalGuardsCheck: Provider = {
    provide: FlowWebhookGlobalGuardsCheck,
    useFactory: (discovery: DiscoveryService) =>
      new FlowWebhookGlobalGuardsCheck(discovery, shape.decorators, receiverPath),
    inject: [DiscoveryService],
  };
  return {
    imports: receiver === undefined ? [] : [otherGuardRefusalModule(receiver)],
    controllers: receiver === undefined ? [] : [receiver],
    providers: [FlowWebhookGuard, FlowWebhookRoutesCheck, globalGuardsCheck],
    exports: [FlowWebhookGuard],
  };
}
