import { execFile } from 'node:child_process';

/** Result of a finished child process. */
export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion with a bounded time and captures its output (never throws on exit code). */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (
          error &&
          typeof error.code !== 'number' &&
          error.code !== undefined &&
          !('killed' in error && error.killed)
        ) {
          reject(new Error(error.message, { cause: error }));
          return;
        }
        resolve({ code: child.exitCode, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
