// `nestjs-cognito-flow/testing`: small helpers for a host's tests. The emulator has its own entry
// point, `nestjs-cognito-flow/emulator`.
export {
  FLOW_WEBHOOK_API_VERSION,
  flowWebhookBodyBytes,
  signFlowWebhook,
  type FlowWebhookHeaders,
  type SignFlowWebhookOptions,
} from '../http-signature/sign-flow-webhook.js';
export {
  signFlowWebhookFor,
  type FlowAppLike,
  type SignFlowWebhookForOptions,
} from './sign-flow-webhook-for.js';
export { fakeAuthGuard, type FakeAuthGuard, type FakeAuthGuardContext } from './fake-auth-guard.js';
export { overrideAuthGuard, type OverrideAuthGuardOptions } from './override-auth-guard.js';
