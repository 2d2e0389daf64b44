import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  PostgresFlowEventStore,
  RedisFlowEventStore,
  type FlowEventStore,
} from '../../lib/index.js';
import { postgresReady } from '../support/database-url.js';
import {
  EVENT_PLATFORMS,
  HandlerProbe,
  deliver,
  flowEvent,
  type RunningFlowApp,
  STATUS_UPDATED,
  newEventId,
  startFlowApp,
} from '../support/flow-events-app.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { createEffectsTable, effectCounts, effectsModule } from '../support/postgres-effects.js';
import { redisUrl } from '../support/redis-url.js';
import { generateSecret } from '../support/test-secrets.js';
import { InMemoryTelemetry, deliveries, operations, total } from './support/in-memory-telemetry.js';
import { startTelemetryApp } from './support/telemetry-app.js';

let pool: pg.Pool;
const tables: string[] = [];
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await postgresReady(), max: 5 });
  pool.on('error', () => undefined);
}, 60_000);
afterAll(async () => {
  for (const table of tables) await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
});

/** A table of this file's own, dropped at the end. */
function newTable(): string {
  const table = `flow_telemetry_${randomUUID().slice(0, 8)}`;
  tables.push(table);
  return table;
}

/** Each shipped store on the suite's server, and the operations one processed delivery and its duplicate count. */
const STORES: Array<[string, string, () => FlowEventStore, Record<string, number>]> = [
  [
    'Redis',
    'redis',
    () => new RedisFlowEventStore({ url: redisUrl(), keyPrefix: `test:${randomUUID()}:` }),
    { 'redis claim ok': 2, 'redis complete ok': 1 },
  ],
  [
    'PostgreSQL',
    'postgres',
    () => new PostgresFlowEventStore({ pool, table: newTable() }),
    { 'postgres claim ok': 2, 'postgres complete ok': 1 },
  ],
  [
    // The row lock is the claim; the commit that writes the done mark counts as `complete`.
    'PostgreSQL, transactional',
    'postgres',
    () => new PostgresFlowEventStore({ pool, table: newTable(), transactional: true }),
    { 'postgres begin ok': 2, 'postgres complete ok': 1 },
  ],
];

describe.each(EVENT_PLATFORMS.map(([name]) => name))(
  'telemetry of each store kind (%s)',
  (platform) => {
    const secret = generateSecret();
    let telemetry: InMemoryTelemetry;
    let running: RunningFlowApp | undefined;

    beforeEach(() => {
      telemetry = new InMemoryTelemetry();
    });
    afterEach(async () => {
      await running?.app.close();
      running = undefined;
      await telemetry.close();
    });

    it.each(STORES)(
      'counts the store operations of a processed delivery and its duplicate on %s under its kind',
      async (_name, kind, makeStore, expected) => {
        const probe = new HandlerProbe();
        running = await startTelemetryApp({ platform, secret, probe, store: makeStore() });
        const event = flowEvent(newEventId());
        const first = await deliver(running.baseUrl, secret, event);
        expect([first.status, JSON.parse(first.body)]).toEqual([200, { outcome: 'processed' }]);
        const again = await deliver(running.baseUrl, secret, event);
        expect([again.status, JSON.parse(again.body)]).toEqual([200, { outcome: 'duplicate' }]);
        expect(probe.calls.get(event.id)).toBe(1);

        const points = await telemetry.points();
        expect(operations(points)).toEqual(expected);
        expect(deliveries(points)).toEqual({
          [`${STATUS_UPDATED} processed`]: 1,
          [`${STATUS_UPDATED} duplicate`]: 1,
        });

        // Every store step of both deliveries is a span carrying the same kind.
        const steps = telemetry
          .finishedSpans()
          .filter((span) => span.name.startsWith('flow.store.'));
        expect(steps.map((span) => span.name).sort()).toEqual([
          'flow.store.claim',
          'flow.store.claim',
          'flow.store.complete',
        ]);
        for (const step of steps) expect(step.attributes).toEqual({ 'flow.store.kind': kind });
      },
    );

    it.each([
      ['row by row', false, 'claim'],
      ['transactional', true, 'begin'],
    ] as const)(
      'counts a failed attempt and its successful retry on PostgreSQL (%s) under the same step names',
      async (_mode, transactional, claim) => {
        const probe = new HandlerProbe();
        let failures = 1;
        probe.behaviour = () => {
          if (failures-- > 0) throw new Error('handler failed once');
        };
        running = await startTelemetryApp({
          platform,
          secret,
          probe,
          store: new PostgresFlowEventStore({ pool, table: newTable(), transactional }),
          webhook: { maxAttempts: 3 },
        });
        const event = flowEvent(newEventId());
        const failed = await deliver(running.baseUrl, secret, event);
        expect([failed.status, JSON.parse(failed.body)]).toEqual([
          500,
          { statusCode: 500, outcome: 'failed' },
        ]);
        const retried = await deliver(running.baseUrl, secret, event);
        expect([retried.status, JSON.parse(retried.body)]).toEqual([200, { outcome: 'processed' }]);
        expect(probe.calls.get(event.id)).toBe(2);

        const points = await telemetry.points();
        expect(operations(points)).toEqual({
          [`postgres ${claim} ok`]: 2,
          'postgres record_failure ok': 1,
          'postgres release ok': 1,
          'postgres complete ok': 1,
        });
        expect(deliveries(points)).toEqual({
          [`${STATUS_UPDATED} failed`]: 1,
          [`${STATUS_UPDATED} processed`]: 1,
        });
      },
    );

    it('counts a transaction lost at commit (its connection killed mid-delivery): the failed commit, the rollback, 503 and the store unavailable; the retry writes the effect once', async () => {
      const effects = await createEffectsTable(pool);
      tables.push(effects);
      const probe = new HandlerProbe();
      let broken = 0;
      const logger = new CaptureLogger();
      running = await startFlowApp({
        platform,
        secret,
        logger,
        webhook: {
          store: new PostgresFlowEventStore({ pool, table: newTable(), transactional: true }),
        },
        hostModules: [
          effectsModule({
            table: effects,
            probe,
            transactions: [],
            // The first attempt's connection is killed after its effect row is written, so the
            // done mark cannot commit: what a database failover does to a delivery in flight.
            afterWrite: async (transaction) => {
              if (broken++ > 0) return;
              const { rows } = await transaction.query<{ pid: number }>(
                'SELECT pg_backend_pid() AS pid',
              );
              await pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
            },
          }),
        ],
      });
      const event = flowEvent(newEventId());
      const lost = await deliver(running.baseUrl, secret, event);
      expect(lost.status).toBe(503);
      expect(lost.retryAfter).toBe('1');
      expect(await effectCounts(pool, effects)).toEqual(new Map());
      expect(logger.find('error', 'rolled back (503)')).toHaveLength(1);

      const retried = await deliver(running.baseUrl, secret, event);
      expect([retried.status, JSON.parse(retried.body)]).toEqual([200, { outcome: 'processed' }]);
      expect(await effectCounts(pool, effects)).toEqual(new Map([[event.id, 1]]));
      expect(probe.calls.get(event.id)).toBe(2);

      const points = await telemetry.points();
      expect(operations(points)).toEqual({
        'postgres begin ok': 2,
        'postgres complete error': 1,
        'postgres abort ok': 1,
        'postgres complete ok': 1,
      });
      expect(deliveries(points)).toEqual({
        [`${STATUS_UPDATED} store_unavailable`]: 1,
        [`${STATUS_UPDATED} processed`]: 1,
      });
      expect(total(points, 'flow.store.unavailable', { 'flow.store.kind': 'postgres' })).toBe(1);
      const commits = telemetry
        .finishedSpans()
        .filter((span) => span.name === 'flow.store.complete')
        .map((span) => span.status.code);
      // The lost commit is an error span (SpanStatusCode.ERROR is 2), the retry's is unset (0).
      expect(commits).toEqual([2, 0]);
    });
  },
);
