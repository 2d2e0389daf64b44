// The package root: what a Nest app uses. The draft-cavage scheme itself is at
// `nestjs-cognito-flow/protocol`, the local emulator at `/emulator`, test helpers at `/testing`.

// The module and its options.
export { FlowModule } from './flow.module.js';
export {
  FlowConfigurationError,
  FlowOptions,
  InjectFlowOptions,
  type FlowModuleAsyncOptions,
  type FlowModuleOptions,
  type FlowOptionsFactory,
  type FlowSignatureEndpointOptions,
  type FlowWebhookOptions,
} from './config/index.js';
// The one reading of NODE_ENV the module's production checks use, for the host's own checks.
export { isProductionEnvironment } from './option-checks/production-environment.js';

// Signing the customer reference.
export { FlowSigner, InvalidCustomerReferenceError } from './signing/index.js';

// Receiving webhooks: the guard, the route marker and the verified event.
export {
  FLOW_WEBHOOK_ROUTE,
  FlowWebhookGuard,
  FlowWebhookRoute,
  VerifiedFlowEvent,
} from './webhook/index.js';

// Events: the handlers' decorator, the event types, the dispatcher for a route of one's own.
export {
  FlowEventDispatcher,
  OnFlowEvent,
  answerFlowDispatch,
  type FlowEventContext,
  type FlowEventName,
  type FlowSessionRetriedEvent,
  type FlowSessionStatusUpdatedEvent,
  type FlowSessionStepUpdatedEvent,
  type FlowWebhookEvent,
} from './events/index.js';

// The store contract and the stores (PostgreSQL through `pg` or a TypeORM DataSource).
export {
  FlowEventStoreUnavailableError,
  MemoryFlowEventStore,
  PostgresFlowEventStore,
  RedisFlowEventStore,
  pgDatabase,
  typeOrmDatabase,
  type FlowClaimResult,
  type FlowEventStore,
  type MemoryFlowEventStoreOptions,
  type PostgresFlowEventStoreOptions,
  type RedisFlowEventStoreOptions,
} from './events/index.js';

// Cognito's API.
export {
  FlowApiClient,
  FlowApiError,
  type CreateFlowSessionInput,
  type CreateFlowSessionOptions,
  type CreatedFlowSession,
  type FlowApiClientOptions,
  type FlowApiModuleOptions,
  type FlowApiSession,
  type RetryFlowSessionInput,
} from './api/index.js';
