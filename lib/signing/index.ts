export * from './flow-signer.js';
export * from './invalid-customer-reference.error.js';
export { MAX_CUSTOMER_REFERENCE_BYTES } from './customer-reference.js';
