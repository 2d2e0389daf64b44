export { FlowApiClient } from './flow-api-client.js';
export * from './flow-api-client-options.js';
export * from './flow-api-error.js';
export * from './flow-session.js';
export * from './flow-api-session.js';
export { FLOW_LIVE_API_BASE_URL, FLOW_SANDBOX_API_BASE_URL } from './flow-api-base-url.js';
export type { FlowApiModuleOptions } from './flow-api-module-options.js';
