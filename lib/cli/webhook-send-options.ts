import { isFlowSessionId } from '../api/flow-session-id.js';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { validatePublicKey } from '../option-checks/validate-keys.js';
import { customerReferenceProblem } from '../signing/customer-reference.js';
import { CliUsageError } from './cli-errors.js';
import { cliMessage } from './cli-flow-options.js';
import { FLOW_EVENTS } from '../delivery/flow-event-body.js';
import { parseReceiverUrl } from './receiver-url.js';
import { stringOption, type CliCommandSpec, type ParsedCommandLine } from './parse-command-line.js';

/** The `webhook send` command's options. */
export const WEBHOOK_SEND_SPEC: CliCommandSpec = {
  name: 'webhook send',
  options: {
    event: { type: 'string' },
    'customer-reference': { type: 'string' },
    status: { type: 'string' },
    step: { type: 'string' },
    repeat: { type: 'string' },
    date: { type: 'string' },
    'event-id': { type: 'string' },
    'session-id': { type: 'string' },
    environment: { type: 'string' },
    'api-key': { type: 'string' },
    'secret-file': { type: 'string' },
    timeout: { type: 'string' },
    'allow-remote': { type: 'boolean' },
  },
  positionals: ['url'],
};

/** Most deliveries one run sends. */
export const MAX_REPEAT = 100_000;

/** What `webhook send` was asked to do, checked (everything but the secret). */
export interface WebhookSendRequest {
  url: URL;
  event: string;
  knownEvent: boolean;
  customerReference: string;
  status?: string;
  step?: string;
  repeat: number;
  date?: string;
  eventId?: string;
  /** `data.id`: a session the receiver's API knows; default a fresh id. */
  sessionId?: string;
  environment?: string;
  apiKey?: string;
  secretFile?: string;
  timeoutMs: number;
}

const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const WORD = /^[a-z][a-z0-9_]*$/;

function required(parsed: ParsedCommandLine, name: string): string {
  const value = stringOption(parsed, name);
  if (value === undefined || value === '')
    throw new CliUsageError('missing_option', `--${name} is required.`);
  return value;
}

function wholeNumber(
  value: string | undefined,
  name: string,
  fallback: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= 1 && number <= max))
    throw new CliUsageError('invalid_option', `--${name} must be a whole number from 1 to ${max}.`);
  return number;
}

function word(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && !WORD.test(value)) {
    throw new CliUsageError(
      'invalid_option',
      `--${name} must be a lower-case word such as 'success' or 'kyc_check'.`,
    );
  }
  return value;
}

/** Checks the parsed command line; URL first, so a remote URL is refused before anything else happens. */
export function readWebhookSendRequest(parsed: ParsedCommandLine): WebhookSendRequest {
  const url = parseReceiverUrl(parsed.positionals[0], parsed.values['allow-remote'] === true);
  const event = required(parsed, 'event');
  if (!/^[a-z_]+(\.[a-z_]+)+$/.test(event)) {
    throw new CliUsageError(
      'invalid_option',
      `--event must be an event name: ${FLOW_EVENTS.join(', ')}.`,
    );
  }
  const customerReference = required(parsed, 'customer-reference');
  const problem = customerReferenceProblem(customerReference);
  if (problem)
    throw new CliUsageError(
      `reference_${problem.reason}`,
      `--customer-reference: ${cliMessage(problem)}`,
    );
  const date = stringOption(parsed, 'date');
  if (date !== undefined && (!IMF_FIXDATE.test(date) || new Date(date).toUTCString() !== date)) {
    throw new CliUsageError(
      'invalid_option',
      "--date must be an HTTP date (IMF-fixdate) such as 'Sat, 23 Jan 2021 21:43:14 GMT'.",
    );
  }
  const eventId = stringOption(parsed, 'event-id');
  if (eventId !== undefined && !/^[A-Za-z0-9_]{1,128}$/.test(eventId)) {
    throw new CliUsageError(
      'invalid_option',
      '--event-id must be 1 to 128 letters, digits or underscores, such as whkevt_abc123.',
    );
  }
  const sessionId = stringOption(parsed, 'session-id');
  if (sessionId !== undefined && !isFlowSessionId(sessionId)) {
    throw new CliUsageError(
      'invalid_session_id',
      '--session-id must be a flow session id: flwses_ followed by letters and digits.',
    );
  }
  const apiKey = stringOption(parsed, 'api-key');
  if (apiKey !== undefined) {
    try {
      validatePublicKey(apiKey, '--api-key', 'api_key');
    } catch (error) {
      if (error instanceof FlowConfigurationError)
        throw new CliUsageError(error.code, cliMessage(error));
      throw error;
    }
  }
  return {
    url,
    event,
    knownEvent: (FLOW_EVENTS as readonly string[]).includes(event),
    customerReference,
    status: word(stringOption(parsed, 'status'), 'status'),
    step: word(stringOption(parsed, 'step'), 'step'),
    repeat: wholeNumber(stringOption(parsed, 'repeat'), 'repeat', 1, MAX_REPEAT),
    date,
    eventId,
    sessionId,
    environment: word(stringOption(parsed, 'environment'), 'environment'),
    apiKey,
    secretFile: stringOption(parsed, 'secret-file'),
    timeoutMs: wholeNumber(stringOption(parsed, 'timeout'), 'timeout', 10, 3600) * 1000,
  };
}
