export type { FlowSignatureResponse, FlowSignatureUser } from './flow-signature-response.js';
export { defaultCustomerReference } from './default-customer-reference.js';
export type { FlowHostedSessionResponse } from './flow-hosted-session-response.js';
