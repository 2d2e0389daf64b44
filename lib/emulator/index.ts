// `nestjs-cognito-flow/emulator`: a local stand-in for Cognito's API, hosted page and webhooks.
export {
  startFlowEmulator,
  type FlowEmulator,
  type FlowEmulatorEndStatus,
} from './flow-emulator.js';
export { FlowEmulatorError, type FlowEmulatorErrorCode } from './flow-emulator.error.js';
export type { FlowEmulatorOptions } from './flow-emulator-options.js';
export { generateEmulatorKeys, type FlowEmulatorKeys } from './emulator-keys.js';
export type { FlowEmulatorSession, FlowSessionEvent } from './emulator-sessions.js';
export { DEFAULT_EMULATOR_IDENTITY, type FlowEmulatorIdentity } from './emulator-identity.js';
export type { FlowEmulatorAttempt, FlowEmulatorDelivery } from './webhook-deliveries.js';
export type {
  FlowEmulatorTriggerEvent,
  FlowEmulatorTriggerOptions,
  FlowEmulatorTriggerResult,
  FlowEmulatorTriggerStatus,
} from './emulator-trigger.js';
