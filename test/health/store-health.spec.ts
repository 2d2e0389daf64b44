import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PostgresFlowEventStore,
  RedisFlowEventStore,
  type FlowEventStore,
} from '../../lib/index.js';
import { postgresReady } from '../support/database-url.js';
import { RedisServer, freePort } from '../support/redis-server.js';
import { EVENT_PLATFORMS, type RunningFlowApp } from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import { getHealth, startHealthApp } from './health-app.js';

const platforms = EVENT_PLATFORMS.map(([name]) => name);

/** Polls the health route until it answers `status`, or fails after `ms`. */
async function until(baseUrl: string, status: number, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = await getHealth(baseUrl);
    if (answer.status === status || Date.now() > deadline) return answer;
    await sleep(100);
  }
}

/** A host's own store that claims every event, with `ping` when given and none otherwise. */
function hostStore(ping?: () => Promise<void>): FlowEventStore {
  return {
    claim: () => Promise.resolve({ state: 'claimed' }),
    renew: () => Promise.resolve(true),
    complete: () => Promise.resolve(true),
    release: () => Promise.resolve(true),
    recordFailure: () => Promise.resolve(1),
    ...(ping === undefined ? {} : { ping }),
  };
}

describe.each(platforms)('the store check on a real Redis (%s)', (platform) => {
  const secret = generateSecret();
  let server: RedisServer;
  let running: RunningFlowApp;

  beforeAll(async () => {
    // A server of this test's own: stopping it must not disturb the other files' Redis.
    server = await RedisServer.start();
    running = await startHealthApp({
      platform,
      secret,
      store: new RedisFlowEventStore({ url: server.url, timeoutMs: 1000 }),
    });
  });
  afterAll(async () => {
    await running?.app.close();
    await server?.dispose();
  });

  it('is up while Redis answers PING, down with 503 once it stops, and up again when it is back', async () => {
    const up = await getHealth(running.baseUrl);
    expect(up.status).toBe(200);
    expect(up.body).toEqual({
      status: 'ok',
      info: { flow_event_store: { status: 'up' } },
      error: {},
      details: { flow_event_store: { status: 'up' } },
    });

    await server.stop();
    const started = Date.now();
    const down = await getHealth(running.baseUrl);
    // The store's own timeout (1000 ms), well before the check's (2000 ms).
    expect(Date.now() - started).toBeLessThan(1900);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('error');
    const { status, reason, ...rest } = down.body.details.flow_event_store;
    expect(status).toBe('down');
    // The connection wait and the command's budget end together: either may speak first.
    expect(['not_connected', 'timeout']).toContain(reason);
    expect(rest).toEqual({});
    // Only our own reason: no driver message, address or port.
    expect(down.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect|Connection/);
    expect(down.text).not.toContain(String(server.port));

    await server.start();
    const back = await until(running.baseUrl, 200, 10_000);
    expect(back.status).toBe(200);
    expect(back.body.details.flow_event_store).toEqual({ status: 'up' });
  });
});

describe.each(platforms)('the store check on an unreachable Redis (%s)', (platform) => {
  const password = `pw-${randomUUID()}`;
  const secret = generateSecret();
  let running: RunningFlowApp;

  beforeAll(async () => {
    const port = await freePort();
    running = await startHealthApp({
      platform,
      secret,
      store: new RedisFlowEventStore({
        url: `redis://:${password}@127.0.0.1:${port}`,
        timeoutMs: 400,
      }),
    });
  });
  afterAll(async () => {
    await running?.app.close();
  });

  it('answers 503 within the timeout, with neither the password nor the API secret', async () => {
    const down = await getHealth(running.baseUrl);
    expect(down.status).toBe(503);
    expect(down.body.details.flow_event_store.status).toBe('down');
    expect(down.text).not.toContain(password);
    expect(down.text).not.toContain(secret);
  });
});

describe.each(platforms)('the store check on PostgreSQL (%s)', (platform) => {
  const secret = generateSecret();
  const password = `pw-${randomUUID()}`;
  let pool: pg.Pool;
  let downPool: pg.Pool;
  let up: RunningFlowApp;
  let down: RunningFlowApp;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: await postgresReady() });
    downPool = new pg.Pool({
      connectionString: `postgres://app:${password}@127.0.0.1:${await freePort()}/app`,
    });
    downPool.on('error', () => undefined);
    up = await startHealthApp({
      platform,
      secret,
      store: new PostgresFlowEventStore({ pool, table: `flow_health_${randomUUID().slice(0, 8)}` }),
    });
    down = await startHealthApp({
      platform,
      secret,
      store: new PostgresFlowEventStore({ pool: downPool, timeoutMs: 500 }),
    });
  });
  afterAll(async () => {
    await up?.app.close();
    await down?.app.close();
    await pool?.end();
    await downPool?.end();
  });

  it('is up when SELECT 1 answers, and creates no table for it', async () => {
    const answer = await getHealth(up.baseUrl);
    expect(answer.status).toBe(200);
    expect(answer.body.details.flow_event_store).toEqual({ status: 'up' });
    const { rows } = await pool.query<{ count: string }>(
      "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'flow_health_%'",
    );
    expect(rows[0].count).toBe('0');
  });

  it('is down with 503 when the database cannot be reached, and never shows the password', async () => {
    const answer = await getHealth(down.baseUrl);
    expect(answer.status).toBe(503);
    expect(answer.body.details.flow_event_store).toEqual({
      status: 'down',
      reason: 'not_connected',
    });
    expect(answer.text).not.toContain(password);
  });
});

describe.each(platforms)(
  'the store check on the memory store and on a store of its own (%s)',
  (platform) => {
    const secret = generateSecret();
    const apps: RunningFlowApp[] = [];
    afterAll(async () => {
      await Promise.all(apps.map((running) => running.app.close()));
    });

    it('is always up on the default memory store', async () => {
      const running = await startHealthApp({ platform, secret });
      apps.push(running);
      const answer = await getHealth(running.baseUrl);
      expect(answer.status).toBe(200);
      expect(answer.body.details.flow_event_store).toEqual({ status: 'up' });
    });

    it("reports a host's store without ping as up and unchecked", async () => {
      const running = await startHealthApp({ platform, secret, store: hostStore() });
      apps.push(running);
      const answer = await getHealth(running.baseUrl);
      expect(answer.status).toBe(200);
      expect(answer.body.details.flow_event_store).toEqual({ status: 'up', ping: 'unsupported' });
    });

    it("answers 503 when a host's ping fails or hangs, without its error's text", async () => {
      const leaked = `token=${randomUUID()}`;
      let hang = false;
      const store = hostStore(() =>
        hang ? new Promise<void>(() => undefined) : Promise.reject(new Error(leaked)),
      );
      const running = await startHealthApp({ platform, secret, store });
      apps.push(running);
      const failed = await getHealth(running.baseUrl);
      expect(failed.status).toBe(503);
      expect(failed.body.details.flow_event_store).toEqual({
        status: 'down',
        reason: 'unreachable',
      });
      expect(failed.text).not.toContain(leaked);

      hang = true;
      const started = Date.now();
      const hung = await getHealth(running.baseUrl);
      expect(Date.now() - started).toBeGreaterThanOrEqual(700);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(hung.status).toBe(503);
      expect(hung.body.details.flow_event_store).toEqual({ status: 'down', reason: 'timeout' });
    });
  },
);
