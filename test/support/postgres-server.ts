import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { freePort } from './redis-server.js';

/** How to get PostgreSQL, printed whenever it is missing: the PostgreSQL suites never skip. */
export const POSTGRES_INSTALL_HINT =
  'PostgreSQL (initdb and postgres) is required by the PostgreSQL tests and was not found. ' +
  'Install it: `sudo apt-get install -y postgresql` (Debian/Ubuntu), `brew install postgresql` ' +
  '(macOS), or set FLOW_TEST_DATABASE_URL to a database you own (its flow tables are overwritten).';

/** The unprivileged account the server runs as when the tests run as root (PostgreSQL refuses root). */
const UNPRIVILEGED = { uid: 65534, gid: 65534 };

/** Directory holding initdb and postgres: PATH first, then Debian's versioned folders, newest first. */
function postgresBinDir(): string | undefined {
  const candidates = (process.env.PATH ?? '').split(delimiter);
  try {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => `/usr/lib/postgresql/${version}/bin`));
  } catch {
    // not a Debian layout
  }
  return candidates.find((dir) => {
    try {
      accessSync(join(dir, 'initdb'), constants.X_OK);
      accessSync(join(dir, 'postgres'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * A real PostgreSQL on 127.0.0.1 in a temporary directory, tuned for tests (no fsync: the data
 * survives a clean stop/start, not a machine crash). Runs as `nobody` when the tests run as
 * root. `stop()` then `start()` again (same port, same data) simulate an outage.
 */
export class PostgresServer {
  private child: ChildProcess | undefined;
  private readonly killOnExit = (): void => {
    this.child?.kill('SIGKILL');
  };

  private constructor(
    /** The port, kept across restarts. */
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
    private readonly asRoot: boolean,
    private readonly durable: boolean,
  ) {}

  /**
   * Makes a fresh cluster (initdb) and starts it on a free port. `durable` keeps PostgreSQL's
   * default fsync and synchronous commit (for benchmarks); tests go without them.
   */
  static async start(options: { durable?: boolean } = {}): Promise<PostgresServer> {
    const server = await PostgresServer.create(options);
    await server.init();
    await server.start();
    return server;
  }

  /** Picks a free port and a temporary directory, without starting anything yet. */
  static async create(options: { durable?: boolean } = {}): Promise<PostgresServer> {
    const bin = postgresBinDir();
    if (!bin) throw new Error(POSTGRES_INSTALL_HINT);
    const asRoot = process.getuid?.() === 0;
    const dir = mkdtempSync(join(tmpdir(), 'flow-postgres-'));
    if (asRoot) chownSync(dir, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
    return new PostgresServer(await freePort(), dir, bin, asRoot, options.durable === true);
  }

  /** Makes the cluster (initdb, without fsync: test data only). */
  async init(): Promise<void> {
    const [program, ...rest] = this.command('initdb');
    const args = [...rest, '-D', join(this.dir, 'data'), '--no-sync', '--no-instructions'];
    args.push('-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C');
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (${code}):\n${output}`);
  }

  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** The argv that runs `program` of the server, as the unprivileged user when root. */
  private command(program: string, pdeathsig = false): string[] {
    const path = join(this.bin, program);
    // setpriv changes the user, then a second setpriv sets the parent-death signal (a change of
    // user clears it): the kernel kills the server if the test process dies without exit hooks.
    const death =
      pdeathsig && process.platform === 'linux' ? ['setpriv', '--pdeathsig', 'SIGKILL'] : [];
    if (!this.asRoot) return [...death, path];
    const user = ['--reuid', String(UNPRIVILEGED.uid), '--regid', String(UNPRIVILEGED.gid)];
    return ['setpriv', ...user, '--clear-groups', ...death, path];
  }

  /** (Re)starts the server on its port and resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.child) return;
    const [program, ...rest] = this.command('postgres', true);
    const settings = [
      ...(this.durable
        ? []
        : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
      ...['-c', 'max_connections=300', '-c', 'shared_buffers=32MB', '-c', 'log_min_messages=fatal'],
    ];
    const args = [...rest, '-D', join(this.dir, 'data'), '-p', String(this.port)];
    args.push('-h', '127.0.0.1', '-k', this.dir, ...settings);
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
        fail(new Error(`postgres exited (${code}) before it was ready:\n${output}`)),
      );
      const poll = async (): Promise<void> => {
        if (this.child !== child) return;
        if (await this.accepts()) {
          child.removeAllListeners('exit');
          resolve();
        } else setTimeout(() => void poll(), 50);
      };
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      setTimeout(() => void poll(), 50);
    });
  }

  /** True when the server answers a query (it refuses connections while it starts up). */
  private async accepts(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Stops the server (fast shutdown: open transactions are aborted) and resolves once it exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGINT');
    });
    process.off('exit', this.killOnExit);
  }

  /** Stops the server and removes its directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
