import type { Logger } from '@nestjs/common';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';

/** Cognito's retry span: up to 7 tries over about four days, then the webhook is disabled. */
export const COGNITO_RETRY_SPAN_SECONDS = 4 * 24 * 60 * 60;

/**
 * Refuses a done-TTL shorter than twice the Date window: a delivery stays verifiable for the whole
 * window on both sides of its Date, so an id forgotten sooner lets a captured delivery run again.
 * Warns when it is shorter than Cognito's retry span, after which a late retry of a processed
 * event would run again.
 * @throws FlowConfigurationError `invalid_option`, naming both values and the smallest safe one.
 */
export function checkDoneTtlWindow(
  webhook: { readonly doneTtlSeconds: number; readonly toleranceSeconds: number },
  logger: Pick<Logger, 'warn'>,
): void {
  const { doneTtlSeconds, toleranceSeconds } = webhook;
  const smallest = 2 * toleranceSeconds;
  if (doneTtlSeconds < smallest) {
    throw new FlowConfigurationError(
      'invalid_option',
      `webhook.doneTtlSeconds (${doneTtlSeconds}) is shorter than twice webhook.toleranceSeconds ` +
        `(2 × ${toleranceSeconds} = ${smallest}): a captured delivery replayed after its id is ` +
        `forgotten but while its Date is still accepted would run again. Set doneTtlSeconds to at ` +
        `least ${smallest} (default 604800, seven days), or shorten toleranceSeconds.`,
    );
  }
  if (doneTtlSeconds < COGNITO_RETRY_SPAN_SECONDS) {
    logger.warn(
      `webhook.doneTtlSeconds (${doneTtlSeconds}) is shorter than Cognito's retry span (about ` +
        `${COGNITO_RETRY_SPAN_SECONDS} s, four days): a retry arriving after an event id is ` +
        'forgotten runs its handlers again. Keep the default (seven days) unless handlers are idempotent.',
    );
  }
}
