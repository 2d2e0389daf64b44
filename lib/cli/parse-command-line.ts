import { parseArgs } from 'node:util';
import { ENV_FILE_OPTIONS } from './cli-env-file.js';
import { CliUsageError } from './cli-errors.js';

/** One option a command accepts. */
export interface CliOptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

/** What a command accepts: its options and how many positional arguments. */
export interface CliCommandSpec {
  /** The command as typed, for messages (`webhook send`). */
  name: string;
  options: Record<string, CliOptionSpec>;
  /** Names of the positional arguments, in order; all are required. */
  positionals: string[];
}

/** The parsed command line. */
export interface ParsedCommandLine {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  help: boolean;
}

// `live_secret_…`, `sandbox_secret_…` followed by 16+ alphanumerics: a real-looking secret, not a word like `my_secret_project`.
const SECRET_SHAPE = /[a-z]+_secret_[A-Za-z0-9]{16,}/;

const SECRET_ON_COMMAND_LINE =
  'A secret on the command line lands in shell history and in the process list, where other ' +
  'users and tools can read it. Set FLOW_API_SECRET in the environment or pass --secret-file <path>. ' +
  'If you typed a real secret, rotate it in the Flow dashboard.';

/**
 * Parses a command's arguments with `util.parseArgs`, after refusing what it must never accept: a
 * `--secret`-like option, or any argument shaped like an API secret. Errors name the option,
 * never a value.
 */
export function parseCommandLine(args: string[], spec: CliCommandSpec): ParsedCommandLine {
  // Every command takes the `.env` options; run-cli has already acted on them.
  const options = {
    ...spec.options,
    ...ENV_FILE_OPTIONS,
    help: { type: 'boolean', short: 'h' } as CliOptionSpec,
  };
  // A lenient pass first, to see every token (even unknown options) without echoing any value.
  const { tokens } = parseArgs({
    args,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'option') {
      if (/secret/i.test(token.name) && token.name !== 'secret-file') {
        throw new CliUsageError(
          'secret_on_command_line',
          `There is no ${token.rawName} option. ${SECRET_ON_COMMAND_LINE}`,
        );
      }
      if (!(token.name in options)) {
        throw new CliUsageError(
          'unknown_option',
          `Unknown option ${token.rawName} for '${spec.name}'.`,
        );
      }
      if (
        token.name !== 'secret-file' &&
        token.value !== undefined &&
        SECRET_SHAPE.test(token.value)
      ) {
        throw new CliUsageError(
          'secret_on_command_line',
          `The value of ${token.rawName} looks like an API secret. ${SECRET_ON_COMMAND_LINE}`,
        );
      }
    } else if (token.kind === 'positional' && SECRET_SHAPE.test(token.value)) {
      throw new CliUsageError(
        'secret_on_command_line',
        `An argument looks like an API secret. ${SECRET_ON_COMMAND_LINE}`,
      );
    }
  }

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs's own messages name options only (`Option '--event <value>' argument missing`).
    throw new CliUsageError('invalid_option', `${(error as Error).message}.`.replace(/\.\.$/, '.'));
  }
  const help = parsed.values.help === true;
  if (!help && parsed.positionals.length !== spec.positionals.length) {
    const wanted = spec.positionals.map((name) => `<${name}>`).join(' ') || 'no arguments';
    throw new CliUsageError(
      'wrong_arguments',
      `'${spec.name}' takes ${wanted}; got ${parsed.positionals.length} argument(s).`,
    );
  }
  return {
    values: parsed.values as ParsedCommandLine['values'],
    positionals: parsed.positionals,
    help,
  };
}

/** The value of a string option, or undefined when it was not given. */
export function stringOption(parsed: ParsedCommandLine, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}
