export type { FlowSignatureResponse, FlowSignatureUser } from './flow-signature-response.js';
export { defaultCustomerReference } from './default-customer-reference.js';
