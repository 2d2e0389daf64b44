import type { Logger } from '@nestjs/common';
import { escapeTerminalLines, escapeTerminalText } from '../delivery/escape-terminal.js';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import type { FlowDeliveryContext } from './flow-delivery-context.js';
import type { FlowEventHandlerRef } from './flow-event-explorer.js';

/** Told when a handler starts; the function it returns is told how the handler ended. */
export type HandlerWatch = (handler: string) => (failure?: { error: unknown }) => void;

/** The handler as it runs under `watch`: each run reported when it ends. */
function watched(handler: FlowEventHandlerRef, watch: HandlerWatch): FlowEventHandlerRef {
  return {
    ...handler,
    handle: async (event, delivery) => {
      const ended = watch(handler.name);
      try {
        await handler.handle(event, delivery);
      } catch (error) {
        ended({ error });
        throw error;
      }
      ended();
    },
  };
}

/** Runs every handler to its end (none is left running when the claim is released). */
export async function runAll(
  given: readonly FlowEventHandlerRef[],
  event: FlowWebhookEvent,
  delivery: FlowDeliveryContext,
  watch?: HandlerWatch,
): Promise<Array<{ handler: string; error: unknown }>> {
  // The usual case, one handler, without a promise per handler and Promise.allSettled, and
  // watched in place rather than through a wrapper made per delivery.
  if (given.length === 1) {
    const [handler] = given;
    const ended = watch?.(handler.name);
    let failure: { error: unknown } | undefined;
    try {
      await handler.handle(event, delivery);
    } catch (error) {
      failure = { error };
    }
    ended?.(failure);
    return failure === undefined ? [] : [{ handler: handler.name, error: failure.error }];
  }
  const handlers = watch === undefined ? given : given.map((handler) => watched(handler, watch));
  const settled = await Promise.allSettled(
    handlers.map((handler) => Promise.resolve().then(() => handler.handle(event, delivery))),
  );
  return settled.flatMap((result, index) =>
    result.status === 'rejected'
      ? [{ handler: handlers[index].name, error: result.reason as unknown }]
      : [],
  );
}

/** An error's message for a log line: it may carry remote text (an API's answer), so escaped. */
export function describeError(error: unknown): string {
  return escapeTerminalText(error instanceof Error ? error.message : String(error));
}

/** An error's stack for a log line, escaped like its message. */
function stackOf(error: unknown): string | undefined {
  const stack = (error as Error | undefined)?.stack;
  return typeof stack === 'string' ? escapeTerminalLines(stack) : undefined;
}

/** The event id for a log line: signed by Cognito, but only its length is checked. */
export function idOf(event: FlowWebhookEvent): string {
  return escapeTerminalText(event.id);
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
      `Flow event ${idOf(event)} (${escapeTerminalText(event.event)}): ${handler} failed: ${describeError(error)}`,
      stackOf(error),
    );
  }
  return errors.length === 1
    ? errors[0].error
    : new AggregateError(
        errors.map((failure) => failure.error),
        `${errors.length} of ${handlers.length} handlers failed`,
      );
}
