export type { FlowSignatureResponse, FlowSignatureUser } from './flow-signature-response.js';
export { FlowSignatureHandler, UNSIGNABLE_REFERENCE_MESSAGE } from './flow-signature.handler.js';
export { defaultCustomerReference } from './default-customer-reference.js';
