import { isFlowSessionId } from '../api/flow-session-id.js';
import { terminalSafeJson } from '../delivery/escape-terminal.js';
import {
  STATUS_ACTIONS,
  TRIGGER_STATUSES,
  type FlowEmulatorTriggerStatus,
} from '../emulator/emulator-trigger.js';
import type { CliCommand } from './cli-context.js';
import { CliUsageError, EXIT_OK } from './cli-errors.js';
import { callEmulator, emulatorUrl } from './emulator-control.js';
import { parseCommandLine, stringOption, type CliCommandSpec } from './parse-command-line.js';

/** The `emulator end` command's options. */
export const EMULATOR_END_SPEC: CliCommandSpec = {
  name: 'emulator end',
  options: { url: { type: 'string' } },
  positionals: ['sessionId', 'status'],
};

/** `cognito-flow emulator end --help`. */
export const EMULATOR_END_HELP = `Usage: cognito-flow emulator end <flwses_…> <status> [--url <emulator url>]

Ends a session of a running Flow emulator as a user (or a reviewer, or time) would, and sends its
webhooks: status success, failed, pending_review (a pending_review session can then be ended
success or failed), expired or canceled. Prints the session as JSON.

The emulator's URL is --url or FLOW_API_BASE_URL (what 'cognito-flow emulator' printed); it must
be a loopback http: URL.

Options:
  --url <url>        the emulator's URL; default FLOW_API_BASE_URL
  --env-file <path>  read settings from this file instead of ./.env; --no-env-file: none
  -h, --help         show this help

Exit status: 0 ended; 1 the emulator refused (no such session, already ended) or is unreachable;
2 bad arguments.`;

/** `cognito-flow emulator end <id> <status>`: ends a running emulator's session. */
export const emulatorEndCommand: CliCommand = async (args, context) => {
  const parsed = parseCommandLine(args, EMULATOR_END_SPEC);
  if (parsed.help) {
    context.out(EMULATOR_END_HELP);
    return EXIT_OK;
  }
  const [id, status] = parsed.positionals;
  if (!isFlowSessionId(id))
    throw new CliUsageError(
      'invalid_session_id',
      'A flow session id is flwses_ followed by 1 to 100 letters and digits.',
    );
  if (!(TRIGGER_STATUSES as readonly string[]).includes(status))
    throw new CliUsageError(
      'invalid_status',
      `The status is one of ${TRIGGER_STATUSES.join(', ')}.`,
    );
  const base = emulatorUrl(stringOption(parsed, 'url') ?? context.env.FLOW_API_BASE_URL);
  const body = await callEmulator(
    base,
    'POST',
    `/emulator/sessions/${id}/${STATUS_ACTIONS[status as FlowEmulatorTriggerStatus]}`,
  );
  context.out(terminalSafeJson(body.session));
  return EXIT_OK;
};
