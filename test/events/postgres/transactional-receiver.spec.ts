import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresFlowEventStore } from '../../../lib/index.js';
import { CaptureLogger } from '../../support/capture-logger.js';
import { databaseUrl, postgresReady } from '../../support/database-url.js';
import {
  EVENT_PLATFORMS,
  HandlerProbe,
  deliver,
  deliverUntilAcknowledged,
  flowEvent,
  startFlowApp,
  type RunningFlowApp,
} from '../../support/flow-events-app.js';
import {
  createEffectsTable,
  effectCounts,
  effectsModule,
  type EffectsTarget,
} from '../../support/postgres-effects.js';
import { generateSecret } from '../../support/test-secrets.js';

let pool: pg.Pool;
beforeAll(async () => {
  await postgresReady();
  pool = new pg.Pool({ connectionString: databaseUrl(), max: 20 });
  pool.on('error', () => undefined);
}, 60_000);
afterAll(() => pool.end());

const newId = (): string => `whkevt_${randomUUID().replaceAll('-', '').slice(0, 20)}`;

/** The failure count the store keeps for `id`. */
async function failures(table: string, id: string): Promise<number | undefined> {
  const { rows } = await pool.query<{ failures: number }>(
    `SELECT failures FROM ${table} WHERE id = $1`,
    [id],
  );
  return rows[0]?.failures;
}

describe.each(EVENT_PLATFORMS)('transactional PostgreSQL store, one instance (%s)', (platform) => {
  const secret = generateSecret();
  const marks = `flow_events_${randomUUID().slice(0, 8)}`;
  const deadLetters: Array<{ id: string; attempts: number }> = [];
  const logger = new CaptureLogger();
  let target: EffectsTarget;
  let running: RunningFlowApp;

  beforeAll(async () => {
    target = { table: await createEffectsTable(pool), probe: new HandlerProbe(), transactions: [] };
    running = await startFlowApp({
      platform,
      secret,
      logger,
      webhook: {
        store: new PostgresFlowEventStore({ pool, table: marks, transactional: true }),
        maxAttempts: 2,
        onDeadLetter: (event, _error, attempts) =>
          void deadLetters.push({ id: event.id, attempts }),
      },
      hostModules: [effectsModule(target)],
    });
  });
  afterAll(() => running.app.close());

  /**
   * With the probe set to fail `id`: the first delivery is answered 500 `failed` with nothing
   * written and one failure counted, the second is dead-lettered (maxAttempts 2), still with
   * nothing written. The probe is reset whatever happens.
   */
  async function expectFailedThenDeadLettered(id: string): Promise<void> {
    try {
      const first = await deliver(running.baseUrl, secret, flowEvent(id));
      expect([first.status, (JSON.parse(first.body) as { outcome: string }).outcome]).toEqual([
        500,
        'failed',
      ]);
      expect((await effectCounts(pool, target.table)).get(id)).toBeUndefined();
      expect(await failures(marks, id)).toBe(1);
      const second = await deliver(running.baseUrl, secret, flowEvent(id));
      expect([second.status, JSON.parse(second.body)]).toEqual([200, { outcome: 'dead_lettered' }]);
    } finally {
      target.probe.behaviour = () => undefined;
    }
    expect(deadLetters).toContainEqual({ id, attempts: 2 });
    expect((await effectCounts(pool, target.table)).get(id)).toBeUndefined();
  }

  it('commits the effect with the done mark: processed once, then a duplicate that writes nothing', async () => {
    const id = newId();
    const first = await deliver(running.baseUrl, secret, flowEvent(id));
    expect([first.status, JSON.parse(first.body)]).toEqual([200, { outcome: 'processed' }]);
    const again = await deliver(running.baseUrl, secret, flowEvent(id));
    expect([again.status, JSON.parse(again.body)]).toEqual([200, { outcome: 'duplicate' }]);
    expect((await effectCounts(pool, target.table)).get(id)).toBe(1);
    const { rows } = await pool.query(`SELECT state FROM ${marks} WHERE id = $1`, [id]);
    expect(rows).toEqual([{ state: 'done' }]);
    // The handler got a pg client (it has query()), the one its write went through.
    expect(typeof (target.transactions.at(-1) as pg.PoolClient).query).toBe('function');
  });

  it('a duplicate that arrives mid-transaction waits about 2 s on the row lock, then answers 409 with a whole Retry-After; the handler never runs twice', async () => {
    const id = newId();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    target.probe.behaviour = (event) => (event.id === id ? held : undefined);
    try {
      const owner = deliver(running.baseUrl, secret, flowEvent(id));
      while (!target.probe.calls.has(id)) await sleep(10);
      const started = Date.now();
      const duplicate = await deliver(running.baseUrl, secret, flowEvent(id));
      const waited = Date.now() - started;
      expect(duplicate.status).toBe(409);
      expect(JSON.parse(duplicate.body)).toMatchObject({ outcome: 'in_progress' });
      expect(duplicate.retryAfter).toMatch(/^\d+$/);
      expect(Number(duplicate.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(duplicate.retryAfter)).toBeLessThanOrEqual(60);
      expect(waited).toBeGreaterThanOrEqual(1900);
      expect(waited).toBeLessThan(6000);
      release();
      expect((await owner).status).toBe(200);
    } finally {
      release();
      target.probe.behaviour = () => undefined;
    }
    const retry = await deliver(running.baseUrl, secret, flowEvent(id));
    expect(JSON.parse(retry.body)).toEqual({ outcome: 'duplicate' });
    expect(target.probe.calls.get(id)).toBe(1);
    expect((await effectCounts(pool, target.table)).get(id)).toBe(1);
  });

  it('a duplicate that arrives while the owner commits within the wait is answered as a duplicate', async () => {
    const id = newId();
    target.probe.behaviour = (event) => (event.id === id ? sleep(500) : undefined);
    try {
      const owner = deliver(running.baseUrl, secret, flowEvent(id));
      while (!target.probe.calls.has(id)) await sleep(10);
      const duplicate = await deliver(running.baseUrl, secret, flowEvent(id));
      expect([duplicate.status, JSON.parse(duplicate.body)]).toEqual([
        200,
        { outcome: 'duplicate' },
      ]);
      expect((await owner).status).toBe(200);
    } finally {
      target.probe.behaviour = () => undefined;
    }
    expect(target.probe.calls.get(id)).toBe(1);
  });

  it('a throwing handler: 500, its write rolled back, the failure counted; dead-lettered at maxAttempts with nothing written', async () => {
    const id = newId();
    target.probe.behaviour = (event) => {
      if (event.id === id) throw new Error('handler broke after writing');
    };
    await expectFailedThenDeadLettered(id);
    const third = await deliver(running.baseUrl, secret, flowEvent(id));
    expect(JSON.parse(third.body)).toEqual({ outcome: 'duplicate' });
    expect(target.probe.calls.get(id)).toBe(2);
    expect(logger.find('error', 'handler broke after writing')).not.toEqual([]);
  });

  it('a handler that swallows a failed statement does not commit: 500, nothing written', async () => {
    const id = newId();
    target.probe.behaviour = async (event) => {
      if (event.id !== id) return;
      const client = target.transactions.at(-1) as pg.PoolClient;
      await client.query('SELECT * FROM no_such_table').catch(() => undefined);
    };
    try {
      const answer = await deliver(running.baseUrl, secret, flowEvent(id));
      expect([answer.status, (JSON.parse(answer.body) as { outcome: string }).outcome]).toEqual([
        500,
        'failed',
      ]);
    } finally {
      target.probe.behaviour = () => undefined;
    }
    expect((await effectCounts(pool, target.table)).get(id)).toBeUndefined();
    expect(await failures(marks, id)).toBe(1);
    const retry = await deliver(running.baseUrl, secret, flowEvent(id));
    expect(JSON.parse(retry.body)).toEqual({ outcome: 'processed' });
    expect((await effectCounts(pool, target.table)).get(id)).toBe(1);
  });

  it('writes that break a deferred constraint fail the attempt like a throwing handler: 500 and counted, never a 503 retried for ever; dead-lettered at maxAttempts', async () => {
    const id = newId();
    // A constraint PostgreSQL checks only at COMMIT, after the done mark is written.
    const keys = `deferred_${randomUUID().slice(0, 8)}`;
    await pool.query(
      `CREATE TABLE ${keys} (k text, CONSTRAINT ${keys}_k UNIQUE (k) DEFERRABLE INITIALLY DEFERRED)`,
    );
    target.probe.behaviour = async (event) => {
      if (event.id !== id) return;
      const client = target.transactions.at(-1) as pg.PoolClient;
      await client.query(`INSERT INTO ${keys} (k) VALUES ('same'), ('same')`);
    };
    await expectFailedThenDeadLettered(id);
    expect((await pool.query(`SELECT k FROM ${keys}`)).rows).toEqual([]);
    expect(logger.find('error', 'deferred constraint')).not.toEqual([]);
    await pool.query(`DROP TABLE ${keys}`);
  });
});

describe.each(EVENT_PLATFORMS)(
  'transactional PostgreSQL store, two instances on one database (%s)',
  (platform) => {
    const secret = generateSecret();
    const marks = `flow_events_${randomUUID().slice(0, 8)}`;
    const probes = [new HandlerProbe(), new HandlerProbe()];
    const apps: RunningFlowApp[] = [];
    let table: string;

    beforeAll(async () => {
      table = await createEffectsTable(pool);
      for (const probe of probes) {
        probe.behaviour = () => sleep(10 + Math.floor(Math.random() * 40));
        apps.push(
          await startFlowApp({
            platform,
            secret,
            webhook: {
              store: new PostgresFlowEventStore({
                pool,
                table: marks,
                transactional: true,
                lockTimeoutMs: 200,
              }),
            },
            hostModules: [effectsModule({ table, probe, transactions: [] })],
          }),
        );
      }
    });
    afterAll(() => Promise.all(apps.map(({ app }) => app.close())));

    it(
      'writes exactly one effect row for each of 100 ids from 500 concurrent deliveries; no two runs of an id overlap',
      { timeout: 120_000 },
      async () => {
        const ids = Array.from({ length: 100 }, newId);
        const pick = (): string => apps[Math.floor(Math.random() * apps.length)].baseUrl;
        const histories = await Promise.all(
          Array.from({ length: 500 }, (_, i) =>
            deliverUntilAcknowledged(pick, secret, flowEvent(ids[i % 100])),
          ),
        );
        for (const statuses of histories) expect(statuses.at(-1)).toBe(200);
        const counts = await effectCounts(pool, table);
        expect(ids.filter((id) => counts.get(id) !== 1)).toEqual([]);
        expect(counts.size).toBe(100);
        const runs = ids.map(
          (id) => (probes[0].calls.get(id) ?? 0) + (probes[1].calls.get(id) ?? 0),
        );
        expect(runs.every((n) => n === 1)).toBe(true);
        expect([...probes[0].overlaps, ...probes[1].overlaps]).toEqual([]);
      },
    );
  },
);
