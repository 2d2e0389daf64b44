import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { redisUrl } from '../support/redis-url.js';
import { generateSecret } from '../support/test-secrets.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RECEIVER = fileURLToPath(new URL('./crash-app/receiver.mjs', import.meta.url));
const PATH = '/webhook_receivers/flow';
const HANDLER_MS = 2500;
const LEASE_MS = 1000;

const secret = generateSecret();
const folder = mkdtempSync(join(tmpdir(), 'flow-crash-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Instance {
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}
const running: Instance[] = [];
afterEach(() => {
  for (const { child } of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts one receiver process on the shared Redis prefix; resolves once it listens. */
function startInstance(keyPrefix: string, marks: string): Promise<Instance> {
  const child = spawn(process.execPath, [RECEIVER], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      FLOW_API_SECRET: secret,
      REDIS_URL: redisUrl(),
      KEY_PREFIX: keyPrefix,
      MARKS_FILE: marks,
      HANDLER_MS: String(HANDLER_MS),
      LEASE_MS: String(LEASE_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
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

/** Cognito's delivery of `body`, signed now (every try is signed anew). */
function deliver(instance: Instance, body: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${instance.port}${PATH}`, {
    method: 'POST',
    headers: testHeaders({ secret, body, url: PATH }),
    body,
  });
}

/** The handler runs recorded so far: `start|done <id> <pid>`. */
function marks(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Retries like Cognito (quickly here) until a 2xx; returns every status and the last body. */
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

describe('two receiver processes on one Redis, the owner stopped mid-handler', () => {
  it('kill -9: the retry reaches the other instance, which runs the handler once the lease lapses; nothing runs twice after', async () => {
    const marksFile = join(folder, `kill-${randomUUID()}.log`);
    writeFileSync(marksFile, '');
    const keyPrefix = `test:${randomUUID()}:`;
    const [owner, other] = await Promise.all([
      startInstance(keyPrefix, marksFile),
      startInstance(keyPrefix, marksFile),
    ]);
    const id = `whkevt_crash_${randomUUID().slice(0, 8)}`;
    const body = flowEventBody({ id });
    const first = deliver(owner, body).catch((error: unknown) => error);
    await waitFor(() => marks(marksFile).length === 1, 'the owner to start the handler');
    owner.child.kill('SIGKILL');
    await owner.exited;
    expect(await first).toBeInstanceOf(Error);
    expect(marks(marksFile)).toEqual([`start ${id} ${owner.child.pid}`]);

    const retry = await retryUntilAcknowledged(other, body);
    expect(retry.last).toEqual({ outcome: 'processed' });
    expect(marks(marksFile)).toEqual([
      `start ${id} ${owner.child.pid}`,
      `start ${id} ${other.child.pid}`,
      `done ${id} ${other.child.pid}`,
    ]);
    // A later retry is acknowledged as a duplicate: the handler does not run again.
    expect(await (await deliver(other, body)).json()).toEqual({ outcome: 'duplicate' });
    expect(marks(marksFile)).toHaveLength(3);
  }, 90_000);

  it('SIGTERM: the owner finishes the handler before it exits, and the retry is a duplicate', async () => {
    const marksFile = join(folder, `term-${randomUUID()}.log`);
    writeFileSync(marksFile, '');
    const keyPrefix = `test:${randomUUID()}:`;
    const [owner, other] = await Promise.all([
      startInstance(keyPrefix, marksFile),
      startInstance(keyPrefix, marksFile),
    ]);
    const id = `whkevt_term_${randomUUID().slice(0, 8)}`;
    const body = flowEventBody({ id });
    const first = deliver(owner, body).then(
      (response) => response.status,
      (error: unknown) => error,
    );
    await waitFor(() => marks(marksFile).length === 1, 'the owner to start the handler');
    owner.child.kill('SIGTERM');
    await owner.exited;
    expect(marks(marksFile)).toEqual([
      `start ${id} ${owner.child.pid}`,
      `done ${id} ${owner.child.pid}`,
    ]);
    // Whatever the owner managed to answer, Cognito retries until a 2xx: a duplicate, not a run.
    await first;
    const retry = await retryUntilAcknowledged(other, body);
    expect(retry.last).toEqual({ outcome: 'duplicate' });
    expect(marks(marksFile)).toHaveLength(2);
  }, 90_000);
});
