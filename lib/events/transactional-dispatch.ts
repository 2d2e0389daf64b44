import type { Logger } from '@nestjs/common';
import type { FlowApiClient } from '../api/flow-api-client.js';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import { dispatchResult, type FlowDispatchResult } from './flow-dispatch-result.js';
import { createFlowEventContext } from './flow-event-context.js';
import type { FlowEventExplorer, FlowEventHandlerRef } from './flow-event-explorer.js';
import type { FlowDeliveryTransaction, FlowEventTransactions } from './flow-event-transactions.js';
import { describeError, idOf, logHandlerFailures, runAll } from './run-handlers.js';
import type { FlowDeadLetterHandler, FlowEventsSettings } from './event-processing-options.js';
import type { DeliveryTrace } from './delivery-trace.js';

/** What a transactional delivery needs from the dispatcher. */
export interface TransactionalDispatch {
  readonly options: FlowEventsSettings;
  readonly explorer: FlowEventExplorer;
  readonly logger: Logger;
  readonly api?: FlowApiClient;
  readonly deadLetter: FlowDeadLetterHandler;
  readonly trace: DeliveryTrace;
}

/**
 * One delivery in transactional mode: the id's row lock is the claim (held by the open
 * transaction, so no lease to renew, and a dead instance's lock goes with its connection), the
 * handlers write through `context.transaction`, and the done mark commits with their writes.
 * A failure undoes their writes but still counts, in the same transaction.
 */
export async function dispatchInTransaction(
  deps: TransactionalDispatch,
  transactions: FlowEventTransactions<unknown>,
  event: FlowWebhookEvent,
  request: unknown,
  handlers: readonly FlowEventHandlerRef[],
): Promise<FlowDispatchResult> {
  let begun;
  try {
    begun = await deps.trace.step('flow.store.claim', () => transactions.begin(event.id));
  } catch (error) {
    deps.logger.warn(
      `Flow event ${idOf(event)} not processed, the event store is unavailable (503): ${describeError(error)}`,
    );
    return dispatchResult('store_unavailable', 1);
  }
  if (begun.state === 'done') return dispatchResult('duplicate');
  if (begun.state === 'busy') return dispatchResult('in_progress', retryAfter(begun.retryAfterMs));

  deps.trace.claimed(event);
  const unit = begun.delivery;
  const doneTtlMs = deps.options.webhook.doneTtlSeconds * 1000;
  try {
    const context = createFlowEventContext(event, deps.api, unit.transaction);
    const errors = await runAll(
      handlers,
      event,
      deps.explorer.deliveryContext(event, request, context),
      deps.trace.watch,
    );
    if (errors.length === 0) {
      const committed = await deps.trace.step('flow.store.complete', () => unit.commit(doneTtlMs));
      if (committed) return dispatchResult('processed');
      errors.push({
        handler: 'the transaction',
        error: new Error(
          'the delivery transaction cannot commit: a statement in it failed, or its writes break a deferred constraint',
        ),
      });
    }
    return await failInTransaction(deps, unit, event, handlers, errors);
  } catch (error) {
    await unit.abort();
    deps.logger.error(
      `Flow event ${idOf(event)}: the delivery transaction failed and was rolled back (503); ` +
        `the retry runs the handlers again: ${describeError(error)}`,
    );
    return dispatchResult('store_unavailable', 1);
  }
}

/** Undoes the handlers' writes, counts the failure; dead-letters (and marks done) at `maxAttempts`. */
async function failInTransaction(
  deps: TransactionalDispatch,
  unit: FlowDeliveryTransaction<unknown>,
  event: FlowWebhookEvent,
  handlers: readonly FlowEventHandlerRef[],
  errors: Array<{ handler: string; error: unknown }>,
): Promise<FlowDispatchResult> {
  const { maxAttempts, doneTtlSeconds } = deps.options.webhook;
  const lastError = logHandlerFailures(deps.logger, event, handlers, errors);
  const attempts = await unit.fail(doneTtlSeconds * 1000);
  if (attempts < maxAttempts) {
    await unit.end();
    return dispatchResult('failed');
  }
  try {
    await deps.deadLetter(event, lastError, attempts);
  } catch (error) {
    deps.logger.error(
      `Flow event ${idOf(event)}: the dead-letter hook failed, the event will be retried: ${describeError(error)}`,
    );
    await unit.end();
    return dispatchResult('failed');
  }
  await unit.commit(doneTtlSeconds * 1000);
  return dispatchResult('dead_lettered');
}

/** Seconds for `Retry-After`: a whole number from 1 to 60. */
function retryAfter(ms: number): number {
  return Math.min(60, Math.max(1, Math.ceil(ms / 1000)));
}
