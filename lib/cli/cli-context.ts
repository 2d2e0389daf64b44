import type { CliEnvFile } from './cli-env-file.js';

/** What a command may touch: its arguments' environment and two output streams. */
export interface CliContext {
  /** The environment variables (`FLOW_*`, `NODE_ENV`); within a command, merged over its `.env` file. */
  readonly env: Record<string, string | undefined>;
  /**
   * The working folder, whose `.env` a command reads. Without it (an embedded run) no `.env` is
   * read unless `--env-file` names one.
   */
  readonly cwd?: string;
  /** Within a command: the `.env` file that filled `env`, for `doctor`'s sources. */
  readonly envFile?: CliEnvFile;
  /** Writes one line of results to standard output. */
  out(line: string): void;
  /** Writes one line of diagnostics (warnings, errors, progress) to standard error. */
  err(line: string): void;
}

/** A command: takes its own arguments (after the command name) and returns or resolves to an exit status. */
export type CliCommand = (args: string[], context: CliContext) => number | Promise<number>;

/** The context of a real run: `process.env`, the working folder, `process.stdout`, `process.stderr`. */
export function processContext(): CliContext {
  return {
    env: process.env,
    cwd: process.cwd(),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}
