import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresFlowEventStore } from '../../../lib/index.js';
import {
  EVENT_PLATFORMS,
  HandlerProbe,
  deliverUntilAcknowledged,
  flowEvent,
  startFlowApp,
  type RunningFlowApp,
} from '../../support/flow-events-app.js';
import { createEffectsTable, effectCounts, effectsModule } from '../../support/postgres-effects.js';
import { PostgresServer } from '../../support/postgres-server.js';
import { generateSecret } from '../../support/test-secrets.js';

describe.each(EVENT_PLATFORMS)(
  'a PostgreSQL restart mid-storm, transactional, two instances (%s)',
  (platform) => {
    const secret = generateSecret();
    const apps: RunningFlowApp[] = [];
    const probes = [new HandlerProbe(), new HandlerProbe()];
    let server: PostgresServer;
    let pool: pg.Pool;
    let effects: string;

    beforeAll(async () => {
      // A server of its own: stopping it must not disturb the other files' database.
      server = await PostgresServer.start();
      pool = new pg.Pool({ connectionString: server.url, max: 20, connectionTimeoutMillis: 1000 });
      // The host's duty with node-postgres: an idle client's error must not crash the process.
      pool.on('error', () => undefined);
      effects = await createEffectsTable(pool);
      for (const probe of probes) {
        probe.behaviour = () => sleep(5 + Math.floor(Math.random() * 20));
        apps.push(
          await startFlowApp({
            platform,
            secret,
            webhook: {
              store: new PostgresFlowEventStore({ pool, transactional: true, lockTimeoutMs: 300 }),
            },
            hostModules: [effectsModule({ table: effects, probe, transactions: [] })],
          }),
        );
      }
    }, 120_000);
    afterAll(async () => {
      await Promise.all(apps.map(({ app }) => app.close()));
      await pool.end();
      await server.dispose();
    });

    it(
      'answers 503 while the database is down, then processes every event exactly once',
      { timeout: 180_000 },
      async () => {
        const ids = Array.from(
          { length: 150 },
          () => `whkevt_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
        );
        // Every id once, and a fifth of them twice more, side by side.
        const deliveries = [...ids, ...ids.slice(0, 30), ...ids.slice(0, 30)];
        const pick = (): string => apps[Math.floor(Math.random() * apps.length)].baseUrl;
        const storm = Promise.all(
          deliveries.map(async (id, i) => {
            await sleep(i * 4);
            return deliverUntilAcknowledged(pick, secret, flowEvent(id), 1000);
          }),
        );
        while (probes[0].totalCalls + probes[1].totalCalls < 40) await sleep(10);
        await server.stop();
        await sleep(1500);
        await server.start();
        const histories = await storm;

        for (const statuses of histories) expect(statuses.at(-1)).toBe(200);
        expect(histories.some((statuses) => statuses.includes(503))).toBe(true);
        const counts = await effectCounts(pool, effects);
        expect(ids.filter((id) => counts.get(id) !== 1)).toEqual([]);
        expect(counts.size).toBe(ids.length);
      },
    );
  },
);
