export { FlowConfigurationError } from './flow-configuration.error.js';
export { FlowOptions } from './flow-options.js';
export { InjectFlowOptions } from './inject-flow-options.decorator.js';
export type {
  FlowModuleAsyncOptions,
  FlowModuleOptions,
  FlowOptionsFactory,
  FlowSignatureEndpointOptions,
  FlowWebhookOptions,
} from './flow-module-options.interface.js';
