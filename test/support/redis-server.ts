import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** How to get redis-server, printed whenever it is missing: the Redis suites never skip. */
export const REDIS_INSTALL_HINT =
  'redis-server is required by the Redis tests and was not found on PATH. Install it: ' +
  '`sudo apt-get install -y redis-server` (Debian/Ubuntu), `brew install redis` (macOS), ' +
  'or set FLOW_TEST_REDIS_URL to a Redis you own (its data is overwritten).';

/** Options of {@link RedisServer.start}. */
export interface RedisServerOptions {
  /** Append-only file with fsync on every write, so data survives a stop/start. Default off. */
  persistence?: boolean;
}

/** Absolute path of an executable on PATH, or undefined. */
function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** A free TCP port on 127.0.0.1, found by letting the OS pick one. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real redis-server child on 127.0.0.1. `stop()` and `start()` again (same port) simulate an
 * outage; the child is killed when the test process exits, whatever happens.
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  private readonly dir: string;
  private readonly killOnExit = (): void => {
    this.child?.kill('SIGKILL');
  };

  private constructor(
    /** The port, kept across restarts. */
    readonly port: number,
    private readonly options: RedisServerOptions,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'flow-redis-'));
  }

  /** Starts a server on a free port. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options);
    await server.start();
    return server;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on its port and resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.child) return;
    const persistence = this.options.persistence
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no'];
    const redisServer = onPath('redis-server');
    if (!redisServer) throw new Error(REDIS_INSTALL_HINT);
    const args = [
      redisServer,
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--dir',
      this.dir,
      ...persistence,
    ];
    // setpriv makes the kernel kill redis-server if this process dies without running exit hooks.
    const setpriv = process.platform === 'linux' ? onPath('setpriv') : undefined;
    const child = setpriv
      ? spawn(setpriv, ['--pdeathsig', 'SIGKILL', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    process.on('exit', this.killOnExit);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error): void => {
        this.child = undefined;
        process.off('exit', this.killOnExit);
        reject(error);
      };
      child.on('error', fail);
      child.on('exit', (code) =>
        fail(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)),
      );
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          child.removeAllListeners('exit');
          child.stdout?.off('data', onData);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    });
    child.stdout?.resume();
    child.stderr?.resume();
  }

  /** Stops the server (SIGTERM, SIGKILL after 5 s) and resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
    process.off('exit', this.killOnExit);
  }

  /** Stops the server and removes its data directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
