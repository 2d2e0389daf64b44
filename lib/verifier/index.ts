export * from './flow-webhook-event.js';
