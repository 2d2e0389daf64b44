import { isFlowSessionId } from '../api/flow-session-id.js';
import { FlowApiError } from '../api/flow-api-error.js';
import { terminalSafeJson } from '../delivery/escape-terminal.js';
import { cliApiClient, describeApiFailure } from './cli-api-client.js';
import type { CliCommand } from './cli-context.js';
import { CliFailure, CliUsageError, EXIT_OK } from './cli-errors.js';
import { loadCliSecret } from './cli-flow-options.js';
import { parseCommandLine, stringOption, type CliCommandSpec } from './parse-command-line.js';

/** The `session get` command's options. */
export const SESSION_GET_SPEC: CliCommandSpec = {
  name: 'session get',
  options: { 'secret-file': { type: 'string' } },
  positionals: ['sessionId'],
};

/** `cognito-flow session --help`. */
export const SESSION_HELP = `Usage: cognito-flow session get <flwses_…> [--secret-file <path>]

Reads a flow session from Cognito's API (GET /flow_sessions/{id}, signed with the API secret) and
prints it as JSON, exactly as Cognito answered: status, customer reference, the user's verified
data, steps.

Reads FLOW_API_KEY, FLOW_API_SECRET (or --secret-file <path>) and FLOW_API_BASE_URL (default: the
live or sandbox host, from the key's prefix). The secret is never accepted on the command line.

Options:
  --secret-file <path>  read the API secret from this file instead of FLOW_API_SECRET
  -h, --help            show this help

Exit status: 0 printed; 1 configuration or API failure (e.g. 401, 404); 2 bad arguments.`;

/** `cognito-flow session get <id>`: prints the session as indented JSON on standard output. */
export const sessionCommand: CliCommand = async (args, context) => {
  const [subcommand, ...rest] = args;
  if (subcommand === '-h' || subcommand === '--help') {
    context.out(SESSION_HELP);
    return EXIT_OK;
  }
  if (subcommand !== 'get') {
    throw new CliUsageError('unknown_command', "'session' takes a subcommand: get.");
  }
  const parsed = parseCommandLine(rest, SESSION_GET_SPEC);
  if (parsed.help) {
    context.out(SESSION_HELP);
    return EXIT_OK;
  }
  const [id] = parsed.positionals;
  if (!isFlowSessionId(id)) {
    throw new CliUsageError(
      'invalid_session_id',
      'A flow session id is flwses_ followed by letters and digits.',
    );
  }
  const secret = loadCliSecret(context.env, stringOption(parsed, 'secret-file'));
  const client = cliApiClient(context.env, secret, (message) => context.err(`warning: ${message}`));
  try {
    // Still the session's JSON, with every character a terminal acts on as a JSON escape.
    context.out(terminalSafeJson(await client.getFlowSession(id)));
  } catch (error) {
    if (error instanceof FlowApiError)
      throw new CliFailure(`api_${error.code}`, describeApiFailure(error));
    throw error;
  }
  return EXIT_OK;
};
