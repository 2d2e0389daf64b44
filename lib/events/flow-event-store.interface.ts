/**
 * What a claim attempt found.
 * - `claimed`: the caller now owns the id until the lease ends (or it renews it) and must end
 *   with `complete`, `release`, or let the lease lapse;
 * - `done`: the id was processed (or dead-lettered) within `doneTtlMs`; do nothing;
 * - `busy`: another owner holds a live claim; `retryAfterMs` is what is left of its lease.
 */
export type FlowClaimResult =
  | { readonly state: 'claimed' }
  | { readonly state: 'done' }
  | { readonly state: 'busy'; readonly retryAfterMs: number };

/**
 * Where event ids are claimed, counted and remembered: the contract behind exactly-once
 * processing. Two stores ship (memory, Redis); a host can write its own, e.g. on SQL.
 *
 * Per id a store keeps: a state (free, claimed by `token` until a lease ends, or done until
 * `doneTtlMs` ends) and a failure count kept `doneTtlMs` after its last failure. Every method is
 * atomic for one id: `claim` is a single test-and-set (on SQL: an `INSERT … ON CONFLICT` or a
 * conditional `UPDATE … WHERE state = 'free' OR lease_until < now()`), and `renew`, `complete`,
 * `release` and `recordFailure` change the row only when it is still claimed by `token` and its
 * lease has not ended (`UPDATE … WHERE id = $1 AND token = $2 AND lease_until > now()`), so an
 * owner whose claim expired and was taken over can never finish or free the new owner's claim.
 *
 * A method that cannot reach its backend rejects (ideally with
 * {@link FlowEventStoreUnavailableError}) within about two seconds: the receiver answers 503 and
 * Cognito retries. Never resolve a claim the backend did not record.
 */
export interface FlowEventStore {
  /** Claims `id` for `token` for `leaseMs`, unless it is done or claimed by a live lease. */
  claim(id: string, token: string, leaseMs: number): Promise<FlowClaimResult>;
  /** Extends the lease of a claim `token` still owns to `leaseMs` from now. False when it no longer owns it. */
  renew(id: string, token: string, leaseMs: number): Promise<boolean>;
  /** Marks the id done for `doneTtlMs` and forgets its failures, if `token` still owns it. */
  complete(id: string, token: string, doneTtlMs: number): Promise<boolean>;
  /** Frees the claim so a retry can take it, if `token` still owns it; the failure count stays. */
  release(id: string, token: string): Promise<boolean>;
  /**
   * Adds one failed attempt, kept `retainMs`, and returns the new count, if `token` still owns the
   * claim (the claim itself stays); null when it no longer owns it.
   */
  recordFailure(id: string, token: string, retainMs: number): Promise<number | null>;
  /**
   * Optional: marks `id` done for `doneTtlMs` in one atomic step, unless it is already done or
   * held by a live claim; true when this call marked it. `FlowWebhookGuard` remembers the
   * deliveries it accepted this way (one round trip instead of `claim` then `complete`, which it
   * uses on a store without this method). On SQL: `INSERT … ON CONFLICT DO NOTHING` on an expired
   * or absent row.
   */
  markDone?(id: string, doneTtlMs: number): Promise<boolean>;
  /**
   * Optional: resolves once the backend answered a trivial request (Redis `PING`, PostgreSQL
   * `SELECT 1`), rejects when it cannot be reached. The health indicator at
   * `nestjs-cognito-flow/health` calls it; it never changes what the store holds.
   */
  ping?(): Promise<void>;
  /** Releases what the store opened (connections it created); never what the host passed in. */
  close?(): Promise<void>;
}
