export * from './sign-flow-webhook.js';
