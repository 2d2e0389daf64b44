import { readFileSync } from 'node:fs';
import { escapeTerminalLines } from '../delivery/escape-terminal.js';
import type { CliCommand, CliContext } from './cli-context.js';
import { CliFailure, CliUsageError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './cli-errors.js';
import { loadCliEnvironment, readEnvFileChoice, type CliEnvironment } from './cli-env-file.js';
import { doctorCommand } from './doctor-command.js';
import { emulatorCommand } from './emulator-command.js';
import { sessionCommand } from './session-command.js';
import { signCommand } from './sign-command.js';
import { triggerCommand } from './trigger-command.js';
import { webhookCommand } from './webhook-command.js';

/** `cognito-flow --help`. */
export const MAIN_HELP = `Usage: cognito-flow <command> [options]

Tools for a Cognito Flow integration built with nestjs-cognito-flow.

Commands:
  sign <customerReference>   print the signature of a customer reference
  doctor                     check the FLOW_* environment against Cognito's security checklist
  webhook send <url>         send a signed Flow webhook delivery to a local receiver
  trigger <event>            make a running emulator send <event> about a real session
  session get <flwses_…>     print a flow session from Cognito's API
  session retry <reference>  let a user go through Flow again (a new session)
  emulator                   run a local stand-in of Cognito Flow (flow.js, webhooks, API)
  emulator end <id> <status> end an emulated session (expired, canceled, pending_review…)

Every command reads FLOW_* settings from the environment and from .env in the working folder;
the environment wins. Secrets are read from FLOW_API_SECRET or --secret-file <path>, never from
the command line. Run 'cognito-flow <command> --help' for a command's options.

Options:
  -h, --help     show this help
  -v, --version  print the version

Options of every command:
  --env-file <path>  read settings from this file instead of ./.env (it must exist)
  --no-env-file      read no .env file: the environment only

Exit status: 0 success; 1 the command failed (configuration, a check, a delivery); 2 bad arguments.`;

const COMMANDS: Record<string, CliCommand> = {
  sign: signCommand,
  doctor: doctorCommand,
  webhook: webhookCommand,
  session: sessionCommand,
  emulator: emulatorCommand,
  trigger: triggerCommand,
};

function version(): string {
  // lib/cli and dist/cli both sit two levels below the package root.
  const manifest = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

function helpCommand(command: string | undefined, subcommand: string | undefined): string {
  if (command === 'webhook' && subcommand === 'send') return 'cognito-flow webhook send --help';
  if (command === 'session') return 'cognito-flow session --help';
  return command !== undefined && Object.hasOwn(COMMANDS, command)
    ? `cognito-flow ${command} --help`
    : 'cognito-flow --help';
}

/** A command's environment: the real one over its `.env` file (none in an embedded run without `cwd`). */
function commandEnvironment(args: string[], context: CliContext): CliEnvironment {
  const choice = readEnvFileChoice(args);
  if (context.cwd === undefined && choice.kind === 'default')
    return loadCliEnvironment(context.env, { kind: 'none' }, process.cwd());
  return loadCliEnvironment(context.env, choice, context.cwd ?? process.cwd());
}

/**
 * Runs the tool on `args` (without `node` and the script) and resolves to the exit status. Known
 * errors become one `cognito-flow: …` line on standard error; usage errors exit 2, others 1.
 */
export async function runCli(args: string[], output: CliContext): Promise<number> {
  // Every line passes the one terminal escape, so remote text in any message stays inert; the
  // places that insert remote text escape it too, line breaks included.
  const context: CliContext = {
    env: output.env,
    cwd: output.cwd,
    out: (line) => output.out(escapeTerminalLines(line)),
    err: (line) => output.err(escapeTerminalLines(line)),
  };
  const [first, ...rest] = args;
  try {
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      context[first === undefined ? 'err' : 'out'](MAIN_HELP);
      return first === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (first === '-v' || first === '--version') {
      context.out(version());
      return EXIT_OK;
    }
    const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
    if (!command) {
      // The unknown word is not echoed: it may be a secret pasted in the wrong place.
      throw new CliUsageError(
        'unknown_command',
        `Unknown command. Commands: ${Object.keys(COMMANDS).join(', ')}.`,
      );
    }
    return await command(rest, { ...context, ...commandEnvironment(rest, context) });
  } catch (error) {
    if (error instanceof CliUsageError) {
      const help = helpCommand(first, rest[0]);
      context.err(`cognito-flow: ${error.message}\nRun '${help}' for usage.`);
      return EXIT_USAGE;
    }
    if (error instanceof CliFailure) {
      context.err(`cognito-flow: ${error.message}`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}
