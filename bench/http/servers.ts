import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerRequest, ServerSpec } from './server-spec.js';

const CHILD = fileURLToPath(new URL('./server-child.js', import.meta.url));

/** A bench app running in a child process on 127.0.0.1. */
export interface BenchServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The `offTwin` app's base URL, when the spec asked for one. */
  twinUrl?: string;
  /** The child's pid (for profiling and RSS). */
  pid: number;
  /** Asks the child something and waits for its answer. */
  ask<T>(request: ServerRequest): Promise<T>;
  /** Closes the app and waits for the process to end. */
  stop(): Promise<void>;
}

function once<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`bench server: no ${type} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: { type: string; message?: string }) => {
      if (message.type === type) finish(undefined, message as T);
      else if (message.type === 'error')
        finish(new Error(`bench server failed to start:\n${message.message}`));
    };
    const onExit = (code: number | null) =>
      finish(new Error(`bench server exited (code ${code}) before ${type}`));
    function finish(error?: Error, value?: T) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * Starts a bench app in a child Node process and waits until it listens. `execArgv` adds Node
 * flags (`--cpu-prof`, `--expose-gc`).
 */
export async function startServer(spec: ServerSpec, execArgv: string[] = []): Promise<BenchServer> {
  const child = fork(CHILD, [JSON.stringify(spec)], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let ready: { port: number; twinPort?: number };
  try {
    ready = await once<{ port: number; twinPort?: number }>(
      child,
      'ready',
      60_000 + (spec.prefillIds ?? 0) / 10,
    );
  } catch (error) {
    child.kill();
    throw error;
  }
  let queue = Promise.resolve<unknown>(undefined);
  return {
    url: `http://127.0.0.1:${ready.port}`,
    ...(ready.twinPort === undefined ? {} : { twinUrl: `http://127.0.0.1:${ready.twinPort}` }),
    pid: child.pid as number,
    ask<T>(request: ServerRequest): Promise<T> {
      // One question at a time: answers carry no id.
      const answer = queue.then(() => {
        const reply = once<T>(child, request.type, 30_000);
        child.send(request);
        return reply;
      });
      queue = answer.catch(() => undefined);
      return answer;
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' } satisfies ServerRequest);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts every app of `specs` together (an idle server costs nothing but memory), runs `fn` on
 * them in the same order, and stops them all whatever happens, also when one fails to start.
 */
export async function withServers<T>(
  specs: ServerSpec[],
  fn: (servers: BenchServer[]) => Promise<T>,
): Promise<T> {
  const started = await Promise.allSettled(specs.map((spec) => startServer(spec)));
  const servers = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return await fn(servers);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}
