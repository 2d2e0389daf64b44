export * from '../http-signature/sign-flow-webhook.js';
export * from './sign-flow-webhook-for.js';
export * from './fake-auth-guard.js';
export * from '../emulator/index.js';
