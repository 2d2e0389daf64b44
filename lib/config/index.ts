export * from './flow.config.js';
export * from '../option-checks/flow-configuration.error.js';
export * from './flow-module-options.interface.js';
export * from './flow-options.js';
export * from './inject-flow-options.decorator.js';
export { MIN_SECRET_LENGTH } from '../option-checks/validate-keys.js';
// Each part's option types live beside the part; the module's options compose them.
export type {
  FlowCustomerIdentity,
  FlowCustomerReferenceResolver,
  FlowDisabledSignatureEndpointOptions,
  FlowEnabledSignatureEndpointOptions,
  FlowSignatureEndpointOptions,
  FlowSignatureEndpointShape,
  ResolvedFlowSignatureEndpointOptions,
} from '../signature-endpoint/signature-endpoint-options.js';
export type { FlowRouteVersion } from '../routing/route-shape.js';
export type { FlowDeadLetterHandler } from '../events/event-processing-options.js';
export type { FlowWebhookOptions, ResolvedFlowWebhookOptions } from '../webhook/webhook-options.js';
