export * from './flow-emulator.js';
export * from './flow-emulator.error.js';
export {
  DEFAULT_EMULATOR_STEPS,
  DEFAULT_RETRY_DELAYS_MS,
  type FlowEmulatorOptions,
} from './flow-emulator-options.js';
export { generateEmulatorKeys, type FlowEmulatorKeys } from './emulator-keys.js';
export type { FlowEmulatorSession } from './emulator-sessions.js';
export { DEFAULT_EMULATOR_IDENTITY, type FlowEmulatorIdentity } from './emulator-identity.js';
export type { FlowEmulatorAttempt, FlowEmulatorDelivery } from './webhook-deliveries.js';
