import { flowKeyShape } from '../http-signature/secret-shape.js';
import type { CliCommand } from './cli-context.js';
import { EXIT_FAILURE, EXIT_OK } from './cli-errors.js';
import { loadCliSecret, resolveCliFlowOptions } from './cli-flow-options.js';
import { buildFlowEventBody, defaultStatus, flowId } from '../delivery/flow-event-body.js';
import { parseCommandLine } from './parse-command-line.js';
import { sendDelivery, signDelivery, type DeliveryOutcome } from '../delivery/webhook-delivery.js';
import { WEBHOOK_SEND_HELP } from './webhook-send-help.js';
import { readWebhookSendRequest, WEBHOOK_SEND_SPEC } from './webhook-send-options.js';

function describe(outcome: DeliveryOutcome): string {
  const time = `${outcome.ms.toFixed(1)} ms`;
  if (outcome.status === undefined) return `failed: ${outcome.error} after ${time}`;
  // A 2xx from FlowModule's receiver says what it did: `processed`, or `duplicate` for a redelivery.
  const excerpt = outcome.error
    ? ` (${outcome.error})`
    : outcome.excerpt
      ? ` ${outcome.excerpt}`
      : outcome.receiverOutcome
        ? `: ${outcome.receiverOutcome}`
        : '';
  return `${outcome.status} ${outcome.statusText ?? ''}`.trimEnd() + ` in ${time}${excerpt}`;
}

const is2xx = (outcome: DeliveryOutcome) =>
  outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;

/**
 * `cognito-flow webhook send <url>`: builds, signs and sends `--repeat` deliveries one after the
 * other, one line each; exits 1 unless every one was answered 2xx.
 */
export const webhookSendCommand: CliCommand = async (args, context) => {
  const parsed = parseCommandLine(args, WEBHOOK_SEND_SPEC);
  if (parsed.help) {
    context.out(WEBHOOK_SEND_HELP);
    return EXIT_OK;
  }
  const request = readWebhookSendRequest(parsed);
  const secret = loadCliSecret(context.env, request.secretFile);
  const options = resolveCliFlowOptions(context.env, secret, (message) =>
    context.err(`warning: ${message}`),
  );
  if (!request.knownEvent)
    context.err(
      `warning: ${request.event} is not one of the events Flow sends; sending it anyway.`,
    );

  const apiKey = request.apiKey ?? options.apiKey;
  const environment =
    request.environment ??
    (flowKeyShape(options.apiSecret).environment === 'live' ? 'live' : 'sandbox');
  // An invented id unless given: a handler that reads the session back needs one its API knows.
  const sessionId = request.sessionId ?? flowId('flwses_');
  const step = request.step ?? (request.event === 'flow_session.step.updated' ? 'kyc_check' : null);
  const outcomes: DeliveryOutcome[] = [];
  for (let index = 1; index <= request.repeat; index += 1) {
    const eventId = request.eventId ?? flowId('whkevt_');
    const body = buildFlowEventBody({
      eventId,
      sessionId,
      event: request.event,
      customerReference: request.customerReference,
      status: request.status ?? defaultStatus(request.event),
      step,
      environment,
      timestamp: new Date(),
    });
    const outcome = await sendDelivery(
      signDelivery(request.url, body, options.apiSecret, apiKey, request.date),
      request.timeoutMs,
    );
    outcomes.push(outcome);
    context.out(`[${index}/${request.repeat}] ${eventId} ${describe(outcome)}`);
  }

  const answered = outcomes.filter(is2xx).length;
  if (request.repeat > 1) {
    const times = outcomes.map((outcome) => outcome.ms);
    const mean = times.reduce((sum, ms) => sum + ms, 0) / times.length;
    // reduce, not Math.min(...times): a long --repeat would overflow the argument list.
    const min = times.reduce((a, b) => Math.min(a, b));
    const max = times.reduce((a, b) => Math.max(a, b));
    context.out(
      `${answered}/${request.repeat} deliveries answered 2xx; ` +
        `time min ${min.toFixed(1)} ms, mean ${mean.toFixed(1)} ms, max ${max.toFixed(1)} ms.`,
    );
  }
  return answered === request.repeat ? EXIT_OK : EXIT_FAILURE;
};
