import type { CliCommand } from './cli-context.js';
import { CliUsageError, EXIT_OK } from './cli-errors.js';
import { webhookSendCommand } from './webhook-send-command.js';

/** `cognito-flow webhook --help`. */
export const WEBHOOK_HELP = `Usage: cognito-flow webhook <subcommand>

Subcommands:
  send <url>   send a signed Flow webhook delivery to a local receiver

Run 'cognito-flow webhook send --help' for its options.`;

/** `cognito-flow webhook <subcommand>`: dispatches to `send`. */
export const webhookCommand: CliCommand = async (args, context) => {
  const [subcommand, ...rest] = args;
  if (subcommand === '-h' || subcommand === '--help') {
    context.out(WEBHOOK_HELP);
    return EXIT_OK;
  }
  if (subcommand !== 'send') {
    throw new CliUsageError('unknown_command', "'webhook' takes a subcommand: send.");
  }
  return webhookSendCommand(rest, context);
};
