import type { FlowApiClient } from './flow-api-client.js';
import { FlowApiError } from './flow-api-error.js';

/** A session id no account has: Cognito answers 404 to a signed request it accepted, 401 otherwise. */
export const PROBE_SESSION_ID = 'flwses_doctorprobe00000000';

/**
 * What one signed `GET /flow_sessions/<unknown id>` told:
 * - `accepted`: 404, so Cognito verified the signature (key and secret are a pair, the clock is right);
 * - `refused`: 401 or 403, it did not;
 * - `unexpected`: a session came back for an id that should not exist;
 * - `unknown`: anything else (timeout, network, another status), kept in `error`.
 */
export type FlowApiProbe =
  | { readonly outcome: 'accepted' }
  | { readonly outcome: 'refused'; readonly status: number }
  | { readonly outcome: 'unexpected' }
  | { readonly outcome: 'unknown'; readonly error: FlowApiError };

/**
 * Asks Cognito's API whether it accepts the client's signed requests, at the cost of one request
 * (with the client's own timeout and retries). `doctor --online` and the health indicator share it.
 * @throws whatever is not a {@link FlowApiError}: a bug, not an answer.
 */
export async function probeFlowApi(client: FlowApiClient): Promise<FlowApiProbe> {
  try {
    await client.getFlowSession(PROBE_SESSION_ID);
    return { outcome: 'unexpected' };
  } catch (error) {
    if (!(error instanceof FlowApiError)) throw error;
    if (error.status === 404) return { outcome: 'accepted' };
    if (error.status === 401 || error.status === 403)
      return { outcome: 'refused', status: error.status };
    return { outcome: 'unknown', error };
  }
}
