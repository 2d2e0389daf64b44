import { isFlowSessionId } from '../api/flow-session-id.js';
import { FlowApiError } from '../api/flow-api-error.js';
import type { FlowApiSession } from '../api/flow-api-session.js';
import { InvalidCustomerReferenceError } from '../signing/invalid-customer-reference.error.js';
import { readFlowEnvironment } from '../config/flow.config.js';
import { terminalSafeJson } from '../delivery/escape-terminal.js';
import { apiCallFailure, cliApiClient } from './cli-api-client.js';
import type { CliCommand } from './cli-context.js';
import { CliUsageError, EXIT_OK } from './cli-errors.js';
import { cliMessage, loadCliSecret } from './cli-flow-options.js';
import { parseCommandLine, stringOption, type CliCommandSpec } from './parse-command-line.js';

/** The `session get` command's options. */
export const SESSION_GET_SPEC: CliCommandSpec = {
  name: 'session get',
  options: { 'secret-file': { type: 'string' } },
  positionals: ['sessionId'],
};

/** The `session retry` command's options. */
export const SESSION_RETRY_SPEC: CliCommandSpec = {
  name: 'session retry',
  options: {
    'secret-file': { type: 'string' },
    template: { type: 'string' },
    strategy: { type: 'string' },
  },
  positionals: ['customerReference'],
};

/** `cognito-flow session --help`. */
export const SESSION_HELP = `Usage: cognito-flow session get <flwses_…> [--secret-file <path>]
       cognito-flow session retry <customerReference> [--template <flwtmp_…>] [--strategy reset]

get    reads a flow session from Cognito's API (GET /flow_sessions/{id}, signed with the API
       secret) and prints it as JSON, exactly as Cognito answered: status, customer reference,
       template, steps, the user's verified data.
retry  asks Cognito to let the user go through Flow again (POST /flow_sessions/retry, strategy
       reset by default) and prints the new session; its previous_session_id is the old one,
       which ends canceled. Sent once, never repeated.

Reads FLOW_API_KEY, FLOW_API_SECRET (or --secret-file <path>), FLOW_TEMPLATE_ID (or --template)
and FLOW_API_BASE_URL (default: the live or sandbox host, from the key's prefix). The secret is
never accepted on the command line.

Options:
  --secret-file <path>  read the API secret from this file instead of FLOW_API_SECRET
  --template <id>       retry: the template (default FLOW_TEMPLATE_ID)
  --strategy <name>     retry: the strategy (default reset)
  --env-file <path>     read settings from this file instead of ./.env; --no-env-file: none
  -h, --help            show this help

Exit status: 0 printed; 1 configuration or API failure (e.g. 401, 404); 2 bad arguments.`;

async function printSession(
  out: (line: string) => void,
  call: () => Promise<FlowApiSession>,
): Promise<number> {
  try {
    // Still the session's JSON, with every character a terminal acts on as a JSON escape.
    out(terminalSafeJson(await call()));
  } catch (error) {
    if (error instanceof FlowApiError) throw apiCallFailure(error);
    if (error instanceof InvalidCustomerReferenceError || error instanceof TypeError)
      throw new CliUsageError('invalid_argument', cliMessage(error));
    throw error;
  }
  return EXIT_OK;
}

/** `cognito-flow session get <id>` and `session retry <reference>`: print a session as JSON. */
export const sessionCommand: CliCommand = async (args, context) => {
  const [subcommand, ...rest] = args;
  if (subcommand === '-h' || subcommand === '--help') {
    context.out(SESSION_HELP);
    return EXIT_OK;
  }
  if (subcommand !== 'get' && subcommand !== 'retry') {
    throw new CliUsageError('unknown_command', "'session' takes a subcommand: get or retry.");
  }
  const parsed = parseCommandLine(
    rest,
    subcommand === 'get' ? SESSION_GET_SPEC : SESSION_RETRY_SPEC,
  );
  if (parsed.help) {
    context.out(SESSION_HELP);
    return EXIT_OK;
  }
  const [positional] = parsed.positionals;
  if (subcommand === 'get' && !isFlowSessionId(positional)) {
    throw new CliUsageError(
      'invalid_session_id',
      'A flow session id is flwses_ followed by letters and digits.',
    );
  }
  const templateId =
    stringOption(parsed, 'template') ?? readFlowEnvironment(context.env).templateId;
  if (subcommand === 'retry' && templateId === undefined) {
    throw new CliUsageError(
      'missing_template',
      'No template: set FLOW_TEMPLATE_ID or pass --template <flwtmp_…>.',
    );
  }
  const secret = loadCliSecret(context.env, stringOption(parsed, 'secret-file'));
  const client = cliApiClient(context.env, secret, (message) => context.err(`warning: ${message}`));
  return subcommand === 'get'
    ? printSession(
        (line) => context.out(line),
        () => client.getFlowSession(positional),
      )
    : printSession(
        (line) => context.out(line),
        () =>
          client.retryFlowSession({
            customerReference: positional,
            templateId,
            strategy: stringOption(parsed, 'strategy'),
          }),
      );
};
