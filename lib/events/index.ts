export { answerFlowDispatch } from './answer-flow-dispatch.js';
export { FlowEventDispatcher } from './flow-event-dispatcher.js';
export { FlowEventStoreUnavailableError } from './flow-event-store.error.js';
export type { FlowClaimResult, FlowEventStore } from './flow-event-store.interface.js';
export type { FlowEventContext } from './flow-event-context.js';
export type {
  FlowSessionRetriedEvent,
  FlowSessionStatusUpdatedEvent,
  FlowSessionStepUpdatedEvent,
} from './flow-events.js';
export { MemoryFlowEventStore, type MemoryFlowEventStoreOptions } from './memory-event-store.js';
export { OnFlowEvent } from './on-flow-event.decorator.js';
export {
  PostgresFlowEventStore,
  pgDatabase,
  typeOrmDatabase,
  type PostgresFlowEventStoreOptions,
} from './postgres/index.js';
export { RedisFlowEventStore, type RedisFlowEventStoreOptions } from './redis-event-store.js';
export type { FlowEventName, FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
