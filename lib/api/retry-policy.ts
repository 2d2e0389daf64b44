/** How failed attempts are spaced out. */
export interface FlowApiRetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** First backoff step, in milliseconds; doubled per retry. */
  readonly backoffBaseMs: number;
  /** Largest backoff step, in milliseconds. */
  readonly backoffMaxMs: number;
  /** Largest wait a `Retry-After` header can impose, in milliseconds. */
  readonly retryAfterMaxMs: number;
  /** A number in [0, 1): the jitter source (`Math.random`). */
  readonly random: () => number;
}

/** Default spacing: 2 retries, 250 ms doubling up to 2 s, `Retry-After` honoured up to 5 s. */
export const DEFAULT_RETRY_POLICY: FlowApiRetryPolicy = Object.freeze({
  maxRetries: 2,
  backoffBaseMs: 250,
  backoffMaxMs: 2_000,
  retryAfterMaxMs: 5_000,
  random: Math.random,
});

/** True for an HTTP status worth another attempt: 429 and every 5xx, never another 4xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Reads `Retry-After` (delay-seconds or an HTTP date) as milliseconds from `now`, or undefined
 * when absent or unreadable. A date in the past is 0.
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait before retry number `retry` (1 for the first): "full jitter" exponential backoff, so
 * clients that failed together do not retry together, and never less than the server's
 * `Retry-After`, which is capped at `retryAfterMaxMs` so one answer cannot stall a request.
 */
export function retryDelayMs(
  policy: FlowApiRetryPolicy,
  retry: number,
  retryAfterMs: number | undefined,
): number {
  const step = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** (retry - 1));
  const jittered = Math.floor(policy.random() * step);
  if (retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, policy.retryAfterMaxMs));
}
