import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { routeDecorators } from '../routing/route-shape.js';
import { assertGuards } from './assert-guards.js';
import { createFlowSignatureController } from './create-flow-signature-controller.js';
import { withHostedSessionRoute } from './with-hosted-session-route.js';
import { FLOW_SIGNATURE_GUARDS, FlowGlobalGuardsCheck } from './global-guards.check.js';
import {
  DEFAULT_SIGNATURE_PATH,
  type FlowSignatureEndpointOptions,
} from './signature-endpoint-options.js';

/**
 * What the signature endpoint adds to FlowModule: a guarded controller and the modules its
 * guards need, or nothing when the block is absent or `enabled: false`.
 * @throws FlowConfigurationError (`missing_guard`) when the route is enabled without guards.
 */
export function signatureEndpointProviders(
  endpoint: Partial<FlowSignatureEndpointOptions> | undefined,
): {
  controllers: Type[];
  imports: NonNullable<DynamicModule['imports']>;
  providers: Provider[];
} {
  if (endpoint === undefined || endpoint.enabled === false)
    return { controllers: [], imports: [], providers: [] };
  assertGuards(endpoint.guards);
  const controller = createFlowSignatureController(
    endpoint.guards,
    endpoint.path ?? DEFAULT_SIGNATURE_PATH,
    {
      version: endpoint.version,
      decorators: routeDecorators(endpoint.decorators, 'signatureEndpoint'),
    },
  );
  return {
    controllers: [
      endpoint.hostedSessionPath === undefined
        ? controller
        : withHostedSessionRoute(controller, endpoint.hostedSessionPath),
    ],
    imports: [...(endpoint.imports ?? [])],
    providers: [
      { provide: FLOW_SIGNATURE_GUARDS, useValue: endpoint.guards },
      FlowGlobalGuardsCheck,
    ],
  };
}
