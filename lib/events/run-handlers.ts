import type { Logger } from '@nestjs/common';
import { escapeTerminalLines, escapeTerminalText } from '../delivery/escape-terminal.js';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import type { FlowDeliveryContext } from './flow-delivery-context.js';
import type { FlowEventHandlerRef } from './flow-event-explorer.js';

/** Told when a handler starts; the function it returns is told how the handler ended. */
export type HandlerWatch = (handler: string) => (failure?: { error: unknown }) => void;

/** Runs one handler to its end, telling `watch` when it starts and how it ended; its failure. */
async function runOne(
  handler: FlowEventHandlerRef,
  event: FlowWebhookEvent,
  delivery: FlowDeliveryContext,
  watch: HandlerWatch | undefined,
): Promise<{ handler: string; error: unknown } | undefined> {
  const ended = watch?.(handler.name);
  try {
    await handler.handle(event, delivery);
  } catch (error) {
    ended?.({ error });
    return { handler: handler.name, error };
  }
  ended?.();
  return undefined;
}

/** Runs every handler to its end (none is left running when the claim is released). */
export async function runAll(
  given: readonly FlowEventHandlerRef[],
  event: FlowWebhookEvent,
  delivery: FlowDeliveryContext,
  watch?: HandlerWatch,
): Promise<Array<{ handler: string; error: unknown }>> {
  // The usual case, one handler, without a promise per handler around it.
  if (given.length === 1) {
    const failure = await runOne(given[0], event, delivery, watch);
    return failure === undefined ? [] : [failure];
  }
  // Each starts on its own microtask, so one that throws synchronously does not stop the rest.
  const failures = await Promise.all(
    given.map((handler) => Promise.resolve().then(() => runOne(handler, event, delivery, watch))),
  );
  return failures.filter((failure) => failure !== undefined);
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
