import type { FlowApiClient } from '../api/flow-api-client.js';
import { FlowApiError } from '../api/flow-api-error.js';
import type { FlowApiSession } from '../api/flow-api-session.js';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';

/**
 * The second argument of every `@OnFlowEvent` handler: what a handler may ask about the delivery
 * beyond its body. `TTransaction` is the transaction a transactional store opens for the delivery
 * (`FlowEventContext<PoolClient>` with `PostgresFlowEventStore` and `transactional: true`); with
 * the other stores there is none and `transaction` is absent.
 */
export type FlowEventContext<TTransaction = never> = FlowEventSessionContext &
  ([TTransaction] extends [never]
    ? { readonly transaction?: undefined }
    : {
        /**
         * The delivery's open transaction: write the event's effects through it and they commit
         * with its done mark, once, or not at all. Never commit or roll it back yourself.
         */
        readonly transaction: TTransaction;
      });

/** What every delivery's context offers, transactional or not. */
export interface FlowEventSessionContext {
  /**
   * Reads the session behind the event (`GET /flow_sessions/{data.id}`) from Cognito's API, with
   * the user's verified data. Webhooks are not delivered in order, so act on the API's status
   * rather than on the event's. One API call per delivery, shared by all of its handlers; a
   * failure rejects with `FlowApiError` (throw it on, and the delivery is retried), and so does a
   * session whose `id` or `customer_reference` is not the event's (code `session_mismatch`).
   */
  fetchSession(): Promise<FlowApiSession>;
}

/**
 * The context of one delivery: `fetchSession()` calls the API at most once, on first use;
 * `transaction` is set only when the store opened one.
 */
export function createFlowEventContext(
  event: FlowWebhookEvent,
  client: FlowApiClient | undefined,
  transaction?: unknown,
): FlowEventContext {
  let session: Promise<FlowApiSession> | undefined;
  return Object.freeze({
    ...(transaction === undefined ? {} : { transaction: transaction as never }),
    fetchSession(): Promise<FlowApiSession> {
      session ??=
        client === undefined
          ? Promise.reject(
              new FlowApiError({
                code: 'not_configured',
                message: "Cognito's API is not available here: register FlowModule with apiKey.",
              }),
            )
          : client.getFlowSession(event.data?.id).then((found) => sameSession(event, found));
      return session;
    },
  });
}

/**
 * The API's session, when it is the one the verified event names: an answer about another session
 * or another user (a misrouted or forged answer) must not drive the handler's decision.
 */
function sameSession(event: FlowWebhookEvent, found: FlowApiSession): FlowApiSession {
  const { id, customer_reference: reference } = event.data;
  if (found.id === id && found.customer_reference === reference) return found;
  const which = found.id === id ? 'customer_reference' : 'id';
  throw new FlowApiError({
    code: 'session_mismatch',
    message:
      `GET /flow_sessions/${id}: Cognito's API answered a session whose ${which} is not the ` +
      `event's (session ${String(found.id)}); it is not used.`,
    request: `GET /flow_sessions/${id}`,
  });
}
