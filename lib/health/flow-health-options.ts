import { MAX_TIMER_MS, wholeNumberProblem } from '../option-checks/whole-number.js';

/** Options of {@link FlowHealthIndicator.checkStore}. */
export interface FlowStoreCheckOptions {
  /** Longest wait for the store's answer, in ms, before it is reported down. Default 1000. */
  timeoutMs?: number;
}

/** Options of {@link FlowHealthIndicator.checkApi}. */
export interface FlowApiCheckOptions {
  /** Longest wait for Cognito's answer (one attempt, no retry), in ms. Default 3000. */
  timeoutMs?: number;
  /**
   * How long an answer is reused, in ms, so frequent probes cost Cognito one request per period;
   * concurrent checks share one request. 0 asks every time. Default 30 000.
   */
  cacheMs?: number;
}

/** The store check's default timeout: a PING or `SELECT 1` answers in well under that. */
export const STORE_CHECK_TIMEOUT_MS = 1000;
/** The API check's default timeout. */
export const API_CHECK_TIMEOUT_MS = 3000;
/** How long the API check reuses an answer by default. */
export const API_CHECK_CACHE_MS = 30_000;

/**
 * A whole number of milliseconds in range, or `fallback` when not given.
 * @throws TypeError naming the option and its range (a programming error in the health controller).
 */
export function checkMs(value: unknown, label: string, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  const problem = wholeNumberProblem(label, value, minimum, MAX_TIMER_MS);
  if (problem !== undefined) throw new TypeError(problem);
  return value as number;
}
