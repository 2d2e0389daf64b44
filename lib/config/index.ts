export { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
export { FlowOptions } from './flow-options.js';
export { InjectFlowOptions } from './inject-flow-options.decorator.js';
export type {
  FlowModuleAsyncOptions,
  FlowModuleOptions,
  FlowOptionsFactory,
} from './flow-module-options.interface.js';
// Each part's option types live beside the part; the module's options compose them.
export type { FlowSignatureEndpointOptions } from '../signature-endpoint/signature-endpoint-options.js';
export type { FlowWebhookOptions } from '../webhook/webhook-options.js';
