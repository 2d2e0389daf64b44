import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: the built CLI is `dist/cli/main.js` below it. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What a run of the built CLI printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runBuiltCli}. */
export interface CliRunOptions {
  /** The whole environment of the child besides PATH: nothing leaks in from the test runner's. */
  env?: Record<string, string>;
  /** Node flags before the script, e.g. `['--import', preload]`. */
  nodeArgs?: string[];
}

/**
 * Runs `node dist/cli/main.js …args` asynchronously (so a receiver in the test's own process can
 * answer it) with a controlled environment.
 */
export function runBuiltCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), 'dist/cli/main.js', ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
