import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MemoryFlowEventStore,
  RedisFlowEventStore,
  type FlowEventStore,
  type FlowWebhookOptions,
} from '../../lib/index.js';
import {
  EVENT_PLATFORMS,
  HandlerProbe,
  RECEIVER_PATH,
  deliver,
  flowEvent,
  handlerModule,
  startFlowApp,
  type RunningFlowApp,
  newEventId,
} from '../support/flow-events-app.js';
import { redisUrl } from '../support/redis-url.js';
import { generateSecret } from '../support/test-secrets.js';

const STORES: Array<[string, () => FlowEventStore]> = [
  ['memory', () => new MemoryFlowEventStore()],
  ['redis', () => new RedisFlowEventStore({ url: redisUrl(), keyPrefix: `test:${randomUUID()}:` })],
];
const CASES = EVENT_PLATFORMS.flatMap(([platform]) =>
  STORES.map(([store, make]) => [platform, store, make] as const),
);

describe.each(CASES)(
  'built-in receiver over HTTP (%s, %s store)',
  (platform, _storeName, makeStore) => {
    const secret = generateSecret();
    const apps: RunningFlowApp[] = [];
    afterEach(async () => {
      await Promise.all(apps.splice(0).map(({ app }) => app.close()));
    });

    async function start(
      webhook: Omit<FlowWebhookOptions, 'path'> = {},
    ): Promise<{ baseUrl: string; probe: HandlerProbe }> {
      const probe = new HandlerProbe();
      const running = await startFlowApp({
        platform: platform,
        secret,
        webhook: { store: makeStore(), ...webhook },
        hostModules: [handlerModule(probe)],
      });
      apps.push(running);
      return { baseUrl: running.baseUrl, probe };
    }

    it('processes a first delivery (200) and acknowledges a repeat (200) without running the handler again', async () => {
      const { baseUrl, probe } = await start();
      const event = flowEvent(newEventId());
      const first = await deliver(baseUrl, secret, event);
      expect(first.status).toBe(200);
      expect(JSON.parse(first.body)).toEqual({ outcome: 'processed' });
      const again = await deliver(baseUrl, secret, event);
      expect(again.status).toBe(200);
      expect(JSON.parse(again.body)).toEqual({ outcome: 'duplicate' });
      expect(probe.calls.get(event.id)).toBe(1);
      expect(probe.completions.get(event.id)).toBe(1);
    });

    it('answers 409 with Retry-After while the same id is being processed', async () => {
      const { baseUrl, probe } = await start();
      const event = flowEvent(newEventId());
      let open!: () => void;
      const blocked = new Promise<void>((resolve) => (open = resolve));
      probe.behaviour = () => blocked;
      const first = deliver(baseUrl, secret, event);
      while (!probe.calls.has(event.id)) await sleep(10);
      const concurrent = await deliver(baseUrl, secret, event);
      expect(concurrent.status).toBe(409);
      expect(Number(concurrent.retryAfter)).toBeGreaterThanOrEqual(1);
      open();
      expect((await first).status).toBe(200);
      expect(probe.calls.get(event.id)).toBe(1);
    });

    it('answers 500 when a handler throws, without leaking its message, and processes the retry', async () => {
      const { baseUrl, probe } = await start();
      const event = flowEvent(newEventId());
      probe.behaviour = () => {
        throw new Error('ledger row locked by tx 4711');
      };
      const failed = await deliver(baseUrl, secret, event);
      expect(failed.status).toBe(500);
      expect(failed.body).not.toContain('4711');
      probe.behaviour = () => undefined;
      expect((await deliver(baseUrl, secret, event)).status).toBe(200);
      expect(probe.calls.get(event.id)).toBe(2);
      expect(probe.completions.get(event.id)).toBe(1);
    });

    it('acknowledges a poison event after maxAttempts and hands it to the dead-letter hook once', async () => {
      const deadLetters: string[] = [];
      const { baseUrl, probe } = await start({
        maxAttempts: 2,
        onDeadLetter: (event) => void deadLetters.push(event.id),
      });
      const event = flowEvent(newEventId());
      probe.behaviour = () => {
        throw new Error('cannot ever work');
      };
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await deliver(baseUrl, secret, event)).status);
      expect(statuses).toEqual([500, 200, 200, 200, 200]);
      expect(probe.calls.get(event.id)).toBe(2);
      expect(deadLetters).toEqual([event.id]);
    });

    it('answers 503 with Retry-After and runs nothing when the store is unreachable', async () => {
      const unreachable = new RedisFlowEventStore({ url: 'redis://127.0.0.1:1', timeoutMs: 500 });
      const { baseUrl, probe } = await start({ store: unreachable });
      const answer = await deliver(baseUrl, secret, flowEvent(newEventId()));
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe('1');
      expect(probe.totalCalls).toBe(0);
    });

    it('never dispatches an unsigned delivery', async () => {
      const { baseUrl, probe } = await start();
      const event = flowEvent(newEventId());
      const unsigned = await fetch(`${baseUrl}/${RECEIVER_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
      });
      expect(unsigned.status).toBe(401);
      expect(probe.totalCalls).toBe(0);
    });
  },
);
