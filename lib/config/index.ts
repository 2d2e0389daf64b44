export * from './flow.config.js';
export * from './flow-configuration.error.js';
export * from './flow-module-options.interface.js';
export * from './flow-options.js';
export * from './inject-flow-options.decorator.js';
export { MIN_SECRET_LENGTH } from './validate-keys.js';
