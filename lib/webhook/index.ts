export * from './flow-webhook.constants.js';
export * from './flow-event.decorator.js';
export * from './flow-webhook-route.decorator.js';
export * from './flow-webhook.guard.js';
export * from './flow-webhook-platform-request.js';
