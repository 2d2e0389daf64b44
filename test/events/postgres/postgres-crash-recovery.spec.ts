import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { flowEventBody, testHeaders } from '../../support/flow-webhook-signing.js';
import { databaseUrl, postgresReady } from '../../support/database-url.js';
import { createEffectsTable, effectCounts } from '../../support/postgres-effects.js';
import { generateSecret } from '../../support/test-secrets.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const RECEIVER = fileURLToPath(new URL('../crash-app/postgres-receiver.mjs', import.meta.url));
const PATH = '/webhook_receivers/flow';
const HANDLER_MS = 2500;

const secret = generateSecret();
const folder = mkdtempSync(join(tmpdir(), 'flow-pg-crash-'));
let pool: pg.Pool;
beforeAll(async () => {
  await postgresReady();
  pool = new pg.Pool({ connectionString: databaseUrl(), max: 4 });
}, 60_000);
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await pool.end();
});

interface Instance {
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}
const running: Instance[] = [];
afterEach(() => {
  for (const { child } of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts one receiver process on the shared tables; resolves once it listens. */
function startInstance(
  tables: { marks: string; effects: string },
  marksFile: string,
): Promise<Instance> {
  const child = spawn(process.execPath, [RECEIVER], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      FLOW_API_SECRET: secret,
      DATABASE_URL: databaseUrl(),
      MARKS_TABLE: tables.marks,
      EFFECTS_TABLE: tables.effects,
      MARKS_FILE: marksFile,
      HANDLER_MS: String(HANDLER_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /listening (\d+)/.exec(output);
      if (match) {
        const instance = { child, port: Number(match[1]), exited };
        running.push(instance);
        resolve(instance);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`receiver exited (${code}):\n${output}`)));
  });
}

function deliver(instance: Instance, body: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${instance.port}${PATH}`, {
    method: 'POST',
    headers: testHeaders({ secret, body, url: PATH }),
    body,
  });
}

function marks(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function retryUntilAcknowledged(
  instance: Instance,
  body: string,
): Promise<{ statuses: number[]; last: unknown }> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await deliver(instance, body);
    statuses.push(response.status);
    if (response.ok) return { statuses, last: await response.json() };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`never acknowledged: ${statuses.join(',')}`);
}

async function twoInstances(): Promise<{
  owner: Instance;
  other: Instance;
  effects: string;
  marksFile: string;
}> {
  const marksFile = join(folder, `${randomUUID()}.log`);
  writeFileSync(marksFile, '');
  const tables = {
    marks: `flow_events_${randomUUID().slice(0, 8)}`,
    effects: await createEffectsTable(pool),
  };
  const [owner, other] = await Promise.all([
    startInstance(tables, marksFile),
    startInstance(tables, marksFile),
  ]);
  return { owner, other, effects: tables.effects, marksFile };
}

describe('two receiver processes on one PostgreSQL, transactional, the owner stopped mid-handler', () => {
  it('kill -9 after the handler wrote: PostgreSQL drops its transaction, the retry on the other instance writes the one effect row', async () => {
    const { owner, other, effects, marksFile } = await twoInstances();
    const id = `whkevt_pgkill_${randomUUID().slice(0, 8)}`;
    const body = flowEventBody({ id });
    const first = deliver(owner, body).catch((error: unknown) => error);
    await waitFor(() => marks(marksFile).length === 1, 'the owner to write its effect');
    owner.child.kill('SIGKILL');
    await owner.exited;
    expect(await first).toBeInstanceOf(Error);
    expect(marks(marksFile)).toEqual([`wrote ${id} ${owner.child.pid}`]);

    const retry = await retryUntilAcknowledged(other, body);
    expect(retry.last).toEqual({ outcome: 'processed' });
    expect(marks(marksFile)).toEqual([
      `wrote ${id} ${owner.child.pid}`,
      `wrote ${id} ${other.child.pid}`,
      `done ${id} ${other.child.pid}`,
    ]);
    expect(await effectCounts(pool, effects)).toEqual(new Map([[id, 1]]));
    expect(await (await deliver(other, body)).json()).toEqual({ outcome: 'duplicate' });
    expect(await effectCounts(pool, effects)).toEqual(new Map([[id, 1]]));
  }, 90_000);

  it('SIGTERM mid-handler: the owner finishes and commits before it exits; the retry is a duplicate', async () => {
    const { owner, other, effects, marksFile } = await twoInstances();
    const id = `whkevt_pgterm_${randomUUID().slice(0, 8)}`;
    const body = flowEventBody({ id });
    const first = deliver(owner, body).then(
      (response) => response.status,
      (error: unknown) => error,
    );
    await waitFor(() => marks(marksFile).length === 1, 'the owner to write its effect');
    owner.child.kill('SIGTERM');
    await owner.exited;
    expect(marks(marksFile)).toEqual([
      `wrote ${id} ${owner.child.pid}`,
      `done ${id} ${owner.child.pid}`,
    ]);
    await first;
    const retry = await retryUntilAcknowledged(other, body);
    expect(retry.last).toEqual({ outcome: 'duplicate' });
    expect(await effectCounts(pool, effects)).toEqual(new Map([[id, 1]]));
    expect(marks(marksFile)).toHaveLength(2);
  }, 90_000);
});
