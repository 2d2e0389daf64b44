import type { Logger } from '@nestjs/common';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import type { FlowDeliveryContext } from './flow-delivery-context.js';
import type { FlowEventHandlerRef } from './flow-event-explorer.js';

/** Runs every handler to its end (none is left running when the claim is released). */
export async function runAll(
  handlers: readonly FlowEventHandlerRef[],
  event: FlowWebhookEvent,
  delivery: FlowDeliveryContext,
): Promise<Array<{ handler: string; error: unknown }>> {
  // The usual case, one handler, without a promise per handler and Promise.allSettled.
  if (handlers.length === 1) {
    try {
      await handlers[0].handle(event, delivery);
      return [];
    } catch (error) {
      return [{ handler: handlers[0].name, error }];
    }
  }
  const settled = await Promise.allSettled(
    handlers.map((handler) => Promise.resolve().then(() => handler.handle(event, delivery))),
  );
  return settled.flatMap((result, index) =>
    result.status === 'rejected'
      ? [{ handler: handlers[index].name, error: result.reason as unknown }]
      : [],
  );
}

/** An error's message, for a log line. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Logs each handler's failure; the error the dead-letter hook receives (all of them when several). */
export function logHandlerFailures(
  logger: Logger,
  event: FlowWebhookEvent,
  handlers: readonly FlowEventHandlerRef[],
  errors: ReadonlyArray<{ handler: string; error: unknown }>,
): unknown {
  for (const { handler, error } of errors) {
    logger.error(
      `Flow event ${event.id} (${event.event}): ${handler} failed: ${describeError(error)}`,
      (error as Error)?.stack,
    );
  }
  return errors.length === 1
    ? errors[0].error
    : new AggregateError(
        errors.map((failure) => failure.error),
        `${errors.length} of ${handlers.length} handlers failed`,
      );
}
