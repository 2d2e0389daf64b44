import { isFlowSessionId } from '../api/flow-session-id.js';
import { FlowApiError } from '../api/flow-api-error.js';
import type { FlowApiSession } from '../api/flow-api-session.js';
import { escapeTerminalText } from '../delivery/escape-terminal.js';
import {
  sessionTakes,
  triggerChange,
  triggerProblem,
  triggerReference,
  type FlowEmulatorTriggerEvent,
  type FlowEmulatorTriggerStatus,
} from '../emulator/emulator-trigger.js';
import type { FlowEmulatorDelivery } from '../emulator/webhook-deliveries.js';
import { customerReferenceProblem } from '../signing/customer-reference.js';
import { apiCallFailure, newCliApiClient } from './cli-api-client.js';
import type { CliCommand } from './cli-context.js';
import { CliFailure, CliUsageError, EXIT_FAILURE, EXIT_OK } from './cli-errors.js';
import { cliMessage, loadCliSecret, resolveCliFlowOptions } from './cli-flow-options.js';
import { callEmulator, emulatorUrl, readEmulatorState } from './emulator-control.js';
import { describeEmulatorAttempt } from './emulator-command.js';
import { parseCommandLine, stringOption, type CliCommandSpec } from './parse-command-line.js';
import { TRIGGER_HELP } from './trigger-help.js';

/** The `trigger` command's options. */
export const TRIGGER_SPEC: CliCommandSpec = {
  name: 'trigger',
  options: {
    status: { type: 'string' },
    'customer-reference': { type: 'string' },
    url: { type: 'string' },
    'secret-file': { type: 'string' },
  },
  positionals: ['event'],
};

/** Runs one API call; its failure becomes a {@link CliFailure} that says what to fix. */
async function api<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof FlowApiError)) throw error;
    const hint =
      error.status === 401
        ? ' The secret is not the one the emulator runs on: use its secret (FLOW_API_SECRET or ' +
          '--secret-file, e.g. .flow-dev-secret for the sample).'
        : '';
    throw apiCallFailure(error, hint);
  }
}

/** Why a delivery did not reach the app, as a hint line, or undefined when it did. */
function deliveryHint(deliveries: FlowEmulatorDelivery[]): string | undefined {
  if (deliveries.some((delivery) => delivery.state === 'not_sent'))
    return "The emulator has no webhook URL: start it with --webhook-url <your app's receiver>.";
  if (deliveries.some((delivery) => delivery.state !== 'delivered'))
    return 'A webhook was not answered 2xx; the emulator retries it (see its status page).';
  return undefined;
}

/**
 * `cognito-flow trigger <event>`: opens (or reuses) a real session on a running emulator through
 * its signed API, drives it so the emulator sends `event`'s webhooks, and prints the session and
 * each delivery's answer. Exits 1 unless every webhook was answered 2xx.
 */
export const triggerCommand: CliCommand = async (args, context) => {
  const parsed = parseCommandLine(args, TRIGGER_SPEC);
  if (parsed.help) {
    context.out(TRIGGER_HELP);
    return EXIT_OK;
  }
  const event = parsed.positionals[0] as FlowEmulatorTriggerEvent;
  const status = stringOption(parsed, 'status') as FlowEmulatorTriggerStatus | undefined;
  const problem = triggerProblem(event, status);
  // The event is not echoed: a word typed in the wrong place may be a secret.
  if (problem) throw new CliUsageError('invalid_argument', problem);
  const given = stringOption(parsed, 'customer-reference');
  const referenceProblem = given === undefined ? undefined : customerReferenceProblem(given);
  if (referenceProblem)
    throw new CliUsageError(
      `reference_${referenceProblem.reason}`,
      `--customer-reference: ${cliMessage(referenceProblem)}`,
    );
  const customerReference = given ?? triggerReference();
  const base = emulatorUrl(stringOption(parsed, 'url') ?? context.env.FLOW_API_BASE_URL);
  const secret = loadCliSecret(context.env, stringOption(parsed, 'secret-file'));
  const { apiSecret } = resolveCliFlowOptions(context.env, secret, (message) =>
    context.err(`warning: ${message}`),
  );

  const before = await readEmulatorState(base);
  const seen = new Set(before.deliveries.map((delivery) => delivery.eventId));
  // The emulator's own key id and template: the secret is the only thing the caller must hold.
  const client = newCliApiClient({
    apiKey: before.keys.apiKey,
    apiSecret,
    templateId: before.keys.templateId,
    baseUrl: base.origin,
  });
  const change = triggerChange(event, status);
  let opened = await api(() => client.createFlowSession({ customerReference }));
  if (!sessionTakes(opened.session, change))
    opened = await api(() =>
      client.createFlowSession({ customerReference }, { idempotent: false }),
    );
  // The id goes into a control route's path: only a real session id does.
  if (!isFlowSessionId(opened.session.id))
    throw new CliFailure(
      'invalid_response',
      'The emulator answered a session without a flwses_ id.',
    );
  let session: FlowApiSession;
  if (change === 'retry') {
    session = await api(() => client.retryFlowSession({ customerReference }));
  } else {
    await callEmulator(base, 'POST', `/emulator/sessions/${opened.session.id}/${change}`);
    // Read back as the app's fetchSession() will: through the signed API.
    session = await api(() => client.getFlowSession(opened.session.id));
  }

  const ids = new Set([opened.session.id, session.id]);
  const deliveries = (await readEmulatorState(base)).deliveries.filter(
    (delivery) => !seen.has(delivery.eventId) && ids.has(delivery.sessionId),
  );
  context.out(
    escapeTerminalText(
      `Session ${session.id} (${opened.created ? 'created' : 'reused'}) for customer reference ` +
        `${session.customer_reference}: status ${String(session.status)}.`,
    ),
  );
  for (const delivery of deliveries) context.out(describeEmulatorAttempt(delivery));
  const answered = deliveries.filter((delivery) => delivery.state === 'delivered').length;
  context.out(`${answered}/${deliveries.length} webhooks answered 2xx.`);
  const hint = deliveries.length === 0 ? 'The emulator sent no webhook.' : deliveryHint(deliveries);
  if (hint) context.err(hint);
  return hint === undefined ? EXIT_OK : EXIT_FAILURE;
};
