import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { refuseFactoryRouteShape } from '../routing/route-shape.js';
import { WEBHOOK_ROUTE_KEYS } from '../webhook/webhook-options.js';
import type { FlowModuleOptions, FlowModuleValues } from './flow-module-options.interface.js';

/** The blocks given beside an async factory (or to `forRoot`, where nothing else comes). */
export type FlowStaticShape = Pick<FlowModuleOptions, 'signatureEndpoint' | 'webhook'>;

function refuse(message: string): never {
  throw new FlowConfigurationError('invalid_option', message);
}

/** A setting given both beside the factory and by it, with different values: which one holds is unclear. */
function refuseTwice(key: string): never {
  refuse(
    `${key} is given both beside the forRootAsync() factory and by it, with different values. ` +
      'Give it in one place: FlowModule.forRootAsync({ useFactory, webhook: { … } }) or the ' +
      "factory's return value.",
  );
}

/**
 * Lays the blocks given beside the factory over the factory's values. Route shapes (guards, paths,
 * versions, decorators) coming from a factory are refused rather than silently ignored: the host
 * would believe they took effect. Every other setting is used from whichever side gives it; both
 * sides giving it different values is refused.
 * @throws FlowConfigurationError naming the key and where to give it.
 */
export function mergeFactoryValues(
  values: FlowModuleValues | FlowModuleOptions | undefined,
  shape: FlowStaticShape,
): FlowModuleOptions {
  const given = (values ?? {}) as FlowModuleOptions;
  const endpoint = given.signatureEndpoint;
  if (endpoint && endpoint !== shape.signatureEndpoint) {
    if (Object.keys(endpoint).some((key) => key !== 'customerReference')) {
      refuse(
        'The options factory returned signatureEndpoint guards/path/imports. Give them beside the ' +
          'factory: FlowModule.forRootAsync({ useFactory, signatureEndpoint: { guards: [YourAuthGuard] } }).',
      );
    }
    const beside = shape.signatureEndpoint?.customerReference;
    if (beside !== undefined && endpoint.customerReference !== undefined) {
      if (beside !== endpoint.customerReference) refuseTwice('signatureEndpoint.customerReference');
    }
  }
  if (given.webhook?.path !== undefined && given.webhook.path !== shape.webhook?.path) {
    refuse(
      'The options factory returned webhook.path. Give it beside the factory: ' +
        "FlowModule.forRootAsync({ useFactory, webhook: { path: 'webhook_receivers/flow' } }).",
    );
  }
  refuseFactoryRouteShape(given.webhook, shape.webhook);
  const webhook: Record<string, unknown> = { ...given.webhook };
  for (const [key, value] of Object.entries(shape.webhook ?? {})) {
    if (value === undefined) continue;
    const fromFactory = webhook[key];
    if (fromFactory !== undefined && fromFactory !== value) refuseTwice(`webhook.${key}`);
    webhook[key] = value;
  }
  for (const key of WEBHOOK_ROUTE_KEYS) webhook[key] = shape.webhook?.[key];
  return {
    ...given,
    signatureEndpoint: shape.signatureEndpoint && {
      ...shape.signatureEndpoint,
      customerReference: endpoint?.customerReference ?? shape.signatureEndpoint.customerReference,
    },
    webhook,
  };
}
