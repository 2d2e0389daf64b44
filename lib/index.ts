export * from './flow.constants.js';
export * from './flow.module.js';
export * from './config/index.js';
export * from './signing/index.js';
export * from './signature-endpoint/index.js';
export * from './verifier/index.js';
export * from './webhook/index.js';
export * from './events/index.js';
