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
