import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../support/run-node.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where `tsc -p sample/tsconfig.json` puts the sample's entry point (lib is compiled beside it). */
export const BUILT_SAMPLE_MAIN = 'sample/dist/sample/src/main.js';

/** Compiles the sample (and the library sources it imports) exactly as `npm start` does. */
export async function buildSample(): Promise<void> {
  const run = await runCommand(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-p', 'sample/tsconfig.json'],
    {
      cwd: ROOT,
      timeoutMs: 120_000,
    },
  );
  if (run.code !== 0)
    throw new Error(`tsc -p sample/tsconfig.json failed:\n${run.stdout}${run.stderr}`);
}

/** A running built sample: its base URL on 127.0.0.1 and everything it printed so far. */
export interface BuiltSample {
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/** An environment with only what a child process needs: no FLOW_* or REDIS_URL of the caller. */
export function cleanEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    NO_COLOR: '1',
    ...vars,
  };
}

/**
 * Starts the built sample as a child process on a free loopback port and resolves once it prints
 * the URL it listens on. Rejects with its output if it exits or stays silent for 30 s.
 */
export function startBuiltSample(vars: Record<string, string>): Promise<BuiltSample> {
  const child: ChildProcess = spawn(process.execPath, [BUILT_SAMPLE_MAIN], {
    cwd: ROOT,
    env: cleanEnv({ PORT: '0', HOST: '127.0.0.1', ...vars }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`The sample did not start within 30 s. Output:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Sample app listening on http:\/\/localhost:(\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ baseUrl: `http://127.0.0.1:${match[1]}`, output: () => output, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The sample exited (${code}) before listening. Output:\n${output}`));
    });
  });
}
