// `nestjs-cognito-flow/health`: health checks for @nestjs/terminus (an optional peer, loaded only
// through this entry point).
export { FlowHealthIndicator } from './flow-health.indicator.js';
export type { FlowApiCheckOptions, FlowStoreCheckOptions } from './flow-health-options.js';
