import { MAX_TIMER_MS, wholeNumberProblem } from '../config/whole-number.js';

/** Options of {@link FlowApiClient}. Only `apiKey` and `apiSecret` are required. */
export interface FlowApiClientOptions {
  /** The API key (`live_key_…` / `sandbox_key_…`): the `keyId` of every request. */
  apiKey: string;
  /** The API secret that signs every request. Never sent, logged or stored as text. */
  apiSecret: string;
  /** The template sessions are created from (`flwtmp_…`), unless a call names another. */
  templateId?: string;
  /** The API's base URL. Default: from the key's prefix, live or sandbox. Env: `FLOW_API_BASE_URL`. */
  baseUrl?: string;
  /** Time allowed to one attempt (connection, answer and body), in ms. Default 10 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for failures safe to repeat. Default 2. */
  maxRetries?: number;
  /** The `Cognito-Version` header. Default `2020-08-14`, the version webhooks carry. */
  cognitoVersion?: string;
  /** First backoff step in ms, doubled per retry and jittered. Default 250. */
  backoffBaseMs?: number;
  /** Largest backoff step in ms. Default 2 000. */
  backoffMaxMs?: number;
  /** Largest wait a `Retry-After` answer can impose, in ms. Default 5 000. */
  retryAfterMaxMs?: number;
}

/** The API version sent by default: the one Cognito's webhooks carry. */
export const DEFAULT_COGNITO_VERSION = '2020-08-14';
/** Default time allowed to one attempt, in milliseconds. */
export const DEFAULT_API_TIMEOUT_MS = 10_000;

/** The whole-number range of each numeric option: the delays are timers, so at most {@link MAX_TIMER_MS}. */
export const API_NUMBER_RANGES = {
  timeoutMs: [1, MAX_TIMER_MS],
  maxRetries: [0, Number.MAX_SAFE_INTEGER],
  backoffBaseMs: [0, MAX_TIMER_MS],
  backoffMaxMs: [0, MAX_TIMER_MS],
  retryAfterMaxMs: [0, MAX_TIMER_MS],
} as const;

/**
 * Why `value` is not a whole number in `option`'s range (a sentence naming `label` and the
 * range), or undefined when it is. The client and the module's start-up checks both use it.
 */
export function apiNumberProblem(
  option: keyof typeof API_NUMBER_RANGES,
  value: unknown,
  label: string = option,
): string | undefined {
  const [minimum, maximum] = API_NUMBER_RANGES[option];
  return wholeNumberProblem(label, value, minimum, maximum);
}
