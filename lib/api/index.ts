export { FlowApiClient } from './flow-api-client.js';
export type { FlowApiClientOptions } from './flow-api-client-options.js';
export { FlowApiError } from './flow-api-error.js';
export type { FlowApiModuleOptions } from './flow-api-module-options.js';
export type { FlowApiSession } from './flow-api-session.js';
export type {
  CreateFlowSessionInput,
  CreateFlowSessionOptions,
  CreatedFlowSession,
  RetryFlowSessionInput,
} from './flow-session.js';
