export * from '../http-signature/sign-flow-webhook.js';
export * from '../emulator/index.js';
