export * from '../http-signature/sign-flow-webhook.js';
