import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisFlowEventStore } from '../../lib/index.js';
import {
  EVENT_PLATFORMS,
  HandlerProbe,
  deliverUntilAcknowledged,
  flowEvent,
  handlerModule,
  startFlowApp,
  type RunningFlowApp,
} from '../support/flow-events-app.js';
import { redisUrl } from '../support/redis-url.js';
import { generateSecret } from '../support/test-secrets.js';

describe.each(EVENT_PLATFORMS)('two instances sharing one Redis (%s)', (platform) => {
  const secret = generateSecret();
  const keyPrefix = `test:${randomUUID()}:`;
  const probes = [new HandlerProbe(), new HandlerProbe()];
  const apps: RunningFlowApp[] = [];

  beforeAll(async () => {
    for (const probe of probes) {
      // A handler that takes a little while, so duplicates really do arrive mid-processing.
      probe.behaviour = () => sleep(20 + Math.floor(Math.random() * 60));
      apps.push(
        await startFlowApp({
          platform,
          secret,
          webhook: { store: new RedisFlowEventStore({ url: redisUrl(), keyPrefix }) },
          hostModules: [handlerModule(probe)],
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(apps.map(({ app }) => app.close()));
  });

  it(
    'processes each of 200 ids exactly once from 1,000 concurrent deliveries, every delivery ending in 2xx',
    { timeout: 120_000 },
    async () => {
      const ids = Array.from(
        { length: 200 },
        (_, i) => `whkevt_${String(i).padStart(4, '0')}${randomUUID().slice(0, 8)}`,
      );
      // The five copies of an id are fired side by side, so they reach the instances together.
      const deliveries = Array.from({ length: 1000 }, (_, i) => flowEvent(ids[Math.floor(i / 5)]));
      // Each try goes to either instance, as a load balancer would send it.
      const pick = (): string => apps[Math.floor(Math.random() * apps.length)].baseUrl;
      const histories = await Promise.all(
        deliveries.map((event) => deliverUntilAcknowledged(pick, secret, event)),
      );

      expect(histories).toHaveLength(1000);
      for (const statuses of histories) expect(statuses[statuses.length - 1]).toBe(200);
      const retriedAsBusy = histories.filter((statuses) => statuses.includes(409)).length;
      expect(retriedAsBusy).toBeGreaterThan(0);

      for (const id of ids) {
        const calls = probes.reduce((sum, probe) => sum + (probe.calls.get(id) ?? 0), 0);
        const completions = probes.reduce(
          (sum, probe) => sum + (probe.completions.get(id) ?? 0),
          0,
        );
        expect({ id, calls, completions }).toEqual({ id, calls: 1, completions: 1 });
      }
      expect(probes[0].totalCalls + probes[1].totalCalls).toBe(200);
      expect(probes.flatMap((probe) => probe.overlaps)).toEqual([]);
    },
  );
});
