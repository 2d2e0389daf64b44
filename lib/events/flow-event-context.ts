import type { FlowApiClient } from '../api/flow-api-client.js';
import { FlowApiError } from '../api/flow-api-error.js';
import type { FlowApiSession } from '../api/flow-session.js';
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
   * failure rejects with `FlowApiError` (throw it on, and the delivery is retried).
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
          : client.getFlowSession(event.data?.id);
      return session;
    },
  });
}
