import type { Logger } from '@nestjs/common';
import { escapeTerminalText } from '../delivery/escape-terminal.js';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import type { FlowDeadLetterHandler } from './event-processing-options.js';
import { describeError, idOf } from './run-handlers.js';

/** The dead-letter handler used when the host sets no `webhook.onDeadLetter`: a log line. */
export function deadLetterLog(logger: Logger): FlowDeadLetterHandler {
  return (event: FlowWebhookEvent, lastError: unknown, attempts: number): void => {
    logger.error(
      `Flow event ${idOf(event)} (${escapeTerminalText(event.event)}) failed ${attempts} times and is acknowledged without success ` +
        `so Cognito keeps the webhook enabled. Last error: ${describeError(lastError)}. ` +
        'Set webhook.onDeadLetter to keep such events.',
    );
  };
}
