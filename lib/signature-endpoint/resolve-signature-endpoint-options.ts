import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { routePath } from '../routing/route-shape.js';
import { defaultCustomerReference } from './default-customer-reference.js';
import {
  DEFAULT_SIGNATURE_PATH,
  type FlowSignatureEndpointOptions,
  type ResolvedFlowSignatureEndpointOptions,
} from './signature-endpoint-options.js';

/** The browser-facing values the route answers with, as the module resolved them. */
export interface FlowSignatureRoutePublicConfig {
  /** The publishable key, if configured. */
  readonly publishableKey?: string;
  /** The template id, if configured. */
  readonly templateId?: string;
}

/**
 * Checks the `signatureEndpoint` block and applies its defaults; undefined when the block is
 * absent or `enabled: false`. The route answers with the publishable key and template id, so both
 * must be configured while it is enabled.
 * @throws FlowConfigurationError naming the option and how to fix it.
 */
export function resolveSignatureEndpointOptions(
  endpoint: Partial<FlowSignatureEndpointOptions> | undefined,
  config: FlowSignatureRoutePublicConfig,
): ResolvedFlowSignatureEndpointOptions | undefined {
  if (endpoint === undefined || endpoint.enabled === false) return undefined;
  if (config.publishableKey === undefined || config.templateId === undefined) {
    throw new FlowConfigurationError(
      'missing_public_config',
      'The signature endpoint answers with the publishable key and template id the browser needs: ' +
        'set publishableKey and templateId (FLOW_PUBLISHABLE_KEY, FLOW_TEMPLATE_ID).',
    );
  }
  if (
    endpoint.customerReference !== undefined &&
    typeof endpoint.customerReference !== 'function'
  ) {
    throw new FlowConfigurationError(
      'invalid_option',
      'signatureEndpoint.customerReference must be a function.',
    );
  }
  return {
    path: routePath(endpoint.path, 'signatureEndpoint.path') ?? DEFAULT_SIGNATURE_PATH,
    customerReference: endpoint.customerReference ?? defaultCustomerReference,
    hostedSessionPath: routePath(endpoint.hostedSessionPath, 'signatureEndpoint.hostedSessionPath'),
  };
}
