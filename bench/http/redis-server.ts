import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The bench's own redis-server on 127.0.0.1: no persistence, stopped at the end of the run. */
export interface BenchRedis {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `redis-server` (from PATH, or /usr/bin) on a free port, or resolves with the reason it
 * could not (not installed, did not start): the Redis figure is then reported as not measured.
 */
export async function startBenchRedis(): Promise<BenchRedis | { unavailable: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'flow-bench-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--logfile',
    '',
  ];
  const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const cleanup = () => {
    process.off('exit', kill);
    rmSync(dir, { recursive: true, force: true });
  };
  const started = await new Promise<true | string>((resolve) => {
    let output = '';
    const timer = setTimeout(
      () => resolve('redis-server did not report ready within 10 s'),
      10_000,
    );
    const finish = (value: true | string) => {
      clearTimeout(timer);
      resolve(value);
    };
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish(
        error.code === 'ENOENT'
          ? 'redis-server is not installed (apt-get install redis-server)'
          : `redis-server: ${error.message}`,
      ),
    );
    child.on('exit', (code) =>
      finish(`redis-server exited with code ${code}: ${output.trim().slice(-300)}`),
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) finish(true);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  });
  child.removeAllListeners('exit');
  if (started !== true) {
    kill();
    cleanup();
    return { unavailable: started };
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(kill, 5_000);
        await exited;
        clearTimeout(timer);
      }
      cleanup();
    },
  };
}
