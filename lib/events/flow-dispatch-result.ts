/**
 * How a delivery ended.
 * - `processed`: every handler succeeded and the id is marked done (200);
 * - `duplicate`: the id was already done, handlers not run (200);
 * - `no_handler`: no `@OnFlowEvent` handler for it, acknowledged (200);
 * - `dead_lettered`: it failed `maxAttempts` times, went to the dead-letter hook, acknowledged (200);
 * - `in_progress`: another request holds its claim right now (409, retry later);
 * - `claim_lost`: this request's claim expired and was taken over before it finished (409);
 * - `failed`: a handler threw; the claim is released for the retry (500);
 * - `store_unavailable`: the store could not be reached; nothing ran without a claim (503);
 * - `invalid_event`: no usable `id` or `event` in the body (400).
 */
export type FlowDispatchOutcome =
  | 'processed'
  | 'duplicate'
  | 'no_handler'
  | 'dead_lettered'
  | 'in_progress'
  | 'claim_lost'
  | 'failed'
  | 'store_unavailable'
  | 'invalid_event';

/** What {@link FlowEventDispatcher.dispatch} returns: send `status` (and `Retry-After` when set). */
export interface FlowDispatchResult {
  /** How the delivery ended. */
  readonly outcome: FlowDispatchOutcome;
  /** The HTTP status to answer: 2xx acknowledges, anything else makes Cognito retry. */
  readonly status: 200 | 400 | 409 | 500 | 503;
  /** Seconds to put in `Retry-After`, when the answer asks for a retry. */
  readonly retryAfterSeconds?: number;
}

/** Status of each outcome. */
export const FLOW_DISPATCH_STATUS: Readonly<
  Record<FlowDispatchOutcome, FlowDispatchResult['status']>
> = {
  processed: 200,
  duplicate: 200,
  no_handler: 200,
  dead_lettered: 200,
  in_progress: 409,
  claim_lost: 409,
  failed: 500,
  store_unavailable: 503,
  invalid_event: 400,
};

/** Builds a result with the status of its outcome. */
export function dispatchResult(
  outcome: FlowDispatchOutcome,
  retryAfterSeconds?: number,
): FlowDispatchResult {
  return retryAfterSeconds === undefined
    ? { outcome, status: FLOW_DISPATCH_STATUS[outcome] }
    : { outcome, status: FLOW_DISPATCH_STATUS[outcome], retryAfterSeconds };
}
