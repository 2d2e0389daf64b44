export { FlowSigner } from './flow-signer.js';
export { InvalidCustomerReferenceError } from './invalid-customer-reference.error.js';
