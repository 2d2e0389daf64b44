import type { FlowCustomerReferenceResolver } from './signature-endpoint-options.js';

/**
 * The Passport convention: the authenticated principal is `request.user` and its id is the
 * customer reference. Only the principal is read, never anything the client sent.
 */
export const defaultCustomerReference: FlowCustomerReferenceResolver = (request) => {
  const id: unknown = (request as { user?: { id?: unknown } } | undefined)?.user?.id;
  // Numeric database ids are common; they are stable, so their decimal form is a fine reference.
  if (typeof id === 'number' && Number.isSafeInteger(id)) return String(id);
  return typeof id === 'string' ? id : undefined;
};
