import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the built CLI is `dist/cli/main.js` below it. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The built CLI, by absolute path: runs may start in any folder. */
export const BUILT_CLI = join(ROOT, 'dist/cli/main.js');

let emptyFolder: string | undefined;

/**
 * An empty folder for runs that name none: every command reads `.env` from its working folder,
 * so a developer's own `.env` at the repository root must not leak into the tests.
 */
export function emptyWorkingFolder(): string {
  if (emptyFolder === undefined) {
    const folder = mkdtempSync(join(tmpdir(), 'cognito-flow-cwd-'));
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    emptyFolder = folder;
  }
  return emptyFolder;
}

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
  /** The working folder, whose `.env` the CLI reads; default an empty folder. */
  cwd?: string;
}

/**
 * Runs `node dist/cli/main.js …args` asynchronously (so a receiver in the test's own process can
 * answer it) with a controlled environment, in a controlled working folder.
 */
export function runBuiltCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BUILT_CLI, ...args], {
      cwd: options.cwd ?? emptyWorkingFolder(),
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
