import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, parseEnv } from 'node:util';
import { CliFailure, CliUsageError } from './cli-errors.js';
import type { CliOptionSpec } from './parse-command-line.js';

/** The options every command takes to choose its `.env` file. */
export const ENV_FILE_OPTIONS: Record<string, CliOptionSpec> = {
  'env-file': { type: 'string' },
  'no-env-file': { type: 'boolean' },
};

/** The file a run reads its settings from, as the command line chose it. */
export type EnvFileChoice = { kind: 'default' } | { kind: 'path'; path: string } | { kind: 'none' };

/** The `.env` file of a run, as it was read. Names only: never a value. */
export interface CliEnvFile {
  /** `read`; `absent` when the default `.env` does not exist; `skipped` with `--no-env-file`. */
  readonly state: 'read' | 'absent' | 'skipped';
  /** The absolute path read or looked for; undefined when skipped. */
  readonly path?: string;
  /** Variables whose value comes from the file (the real environment does not set them). */
  readonly supplied: ReadonlySet<string>;
}

/** The environment of a run: the real variables over the file's, and where the file was. */
export interface CliEnvironment {
  readonly env: Record<string, string | undefined>;
  readonly envFile: CliEnvFile;
}

/**
 * Reads `--env-file <path>` and `--no-env-file` from a command's arguments, before the command
 * parses them itself, so every command (present or future) gets the same environment.
 */
export function readEnvFileChoice(args: readonly string[]): EnvFileChoice {
  const { tokens } = parseArgs({
    args: [...args],
    options: ENV_FILE_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let choice: EnvFileChoice = { kind: 'default' };
  let skipped = false;
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (token.name === 'no-env-file') skipped = true;
    if (token.name !== 'env-file') continue;
    if (token.value === undefined || token.value === '')
      throw new CliUsageError(
        'invalid_option',
        '--env-file needs a path, e.g. --env-file .env.local.',
      );
    choice = { kind: 'path', path: token.value };
  }
  if (skipped && choice.kind === 'path')
    throw new CliUsageError('invalid_option', 'Pass --env-file <path> or --no-env-file, not both.');
  return skipped ? { kind: 'none' } : choice;
}

function readEnvText(path: string, explicit: boolean): string | undefined {
  try {
    // A device or a folder (`--env-file /dev/zero`) is refused before anything is read.
    if (!statSync(path).isFile()) {
      throw new CliFailure('env_file_unreadable', `The env file ${path} is not a regular file.`);
    }
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof CliFailure) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    if (code === 'ENOENT' && !explicit) return undefined;
    const option = explicit ? `--env-file ${path}` : `the env file ${path}`;
    throw new CliFailure(
      'env_file_unreadable',
      `Cannot read ${option} (${code}). Check the path and its permissions, or pass --no-env-file.`,
    );
  }
}

/**
 * The environment of a run: `.env` in `folder` (or the `--env-file` path, resolved from
 * `folder`) parsed by Node's own parser, under the real variables, which win. A missing default
 * `.env` is skipped; a missing `--env-file` is an error. Neither environment object is changed.
 */
export function loadCliEnvironment(
  realEnv: Record<string, string | undefined>,
  choice: EnvFileChoice,
  folder: string,
): CliEnvironment {
  if (choice.kind === 'none')
    return {
      env: Object.fromEntries(Object.entries(realEnv)),
      envFile: { state: 'skipped', supplied: new Set() },
    };
  const path = resolve(folder, choice.kind === 'path' ? choice.path : '.env');
  const text = readEnvText(path, choice.kind === 'path');
  if (text === undefined)
    return {
      env: Object.fromEntries(Object.entries(realEnv)),
      envFile: { state: 'absent', path, supplied: new Set() },
    };
  const fromFile = parseEnv(text);
  const supplied = new Set(Object.keys(fromFile).filter((name) => !Object.hasOwn(realEnv, name)));
  // fromEntries defines own properties: a name such as `__proto__` stays a plain entry.
  const env: Record<string, string | undefined> = Object.fromEntries([
    ...Object.entries(realEnv),
    ...[...supplied].map((name): [string, string | undefined] => [name, fromFile[name]]),
  ]);
  return { env, envFile: { state: 'read', path, supplied } };
}
