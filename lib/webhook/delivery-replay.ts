import { randomUUID } from 'node:crypto';
import type { FlowEventStore } from '../events/flow-event-store.interface.js';
import { parseFlowAuthorization } from '../http-signature/parse-authorization.js';
import { singleHeader, type FlowHeaderSource } from '../http-signature/request-headers.js';

/** Prefix of the store ids that remember accepted deliveries, apart from event ids. */
export const DELIVERY_ID_PREFIX = 'delivery:';

/**
 * Records an accepted delivery by its signature in the event store, for `windowMs` (twice the Date
 * window: as long as the delivery could verify again). Resolves true the first time and false for
 * a replay of the same signed bytes, whichever instance saw it first. A retry by Cognito is signed
 * anew (a new Date), so it is never taken for a replay.
 * @throws whatever the store throws when it cannot answer: the caller refuses the delivery.
 */
export async function firstAcceptance(
  store: FlowEventStore,
  signature: string,
  windowMs: number,
): Promise<boolean> {
  const id = DELIVERY_ID_PREFIX + signature;
  // One atomic step where the store has it (both shipped stores do).
  if (typeof store.markDone === 'function') return store.markDone(id, windowMs);
  const token = randomUUID();
  const claim = await store.claim(id, token, windowMs);
  if (claim.state !== 'claimed') return false;
  // Done, not merely claimed: a bounded store may evict done ids under pressure, never live claims.
  await store.complete(id, token, windowMs);
  return true;
}

/**
 * The signature of a delivery the verifier accepted, read again from its single Authorization
 * header: canonical base64 of 32 bytes, so one delivery has exactly one spelling of it.
 */
export function deliverySignature(request: FlowHeaderSource): string | undefined {
  const authorization = singleHeader(request, 'authorization');
  if (typeof authorization !== 'string') return undefined;
  return parseFlowAuthorization(authorization).signature;
}
