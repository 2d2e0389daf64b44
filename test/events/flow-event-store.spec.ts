import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryFlowEventStore } from '../../lib/events/memory-event-store.js';
import { RedisFlowEventStore } from '../../lib/events/redis-event-store.js';
import type { FlowEventStore } from '../../lib/events/flow-event-store.interface.js';
import { PostgresFlowEventStore } from '../../lib/events/postgres/postgres-event-store.js';
import { databaseUrl, postgresReady } from '../support/database-url.js';
import { redisUrl } from '../support/redis-url.js';

const stores: Array<[string, () => FlowEventStore]> = [
  ['memory', () => new MemoryFlowEventStore()],
  ['redis', () => new RedisFlowEventStore({ url: redisUrl(), keyPrefix: `test:${randomUUID()}:` })],
  [
    'redis, host client',
    () => new RedisFlowEventStore({ client: hostClient(), keyPrefix: `test:${randomUUID()}:` }),
  ],
  ['postgres', () => new PostgresFlowEventStore({ pool: hostPool(), table: uniqueTable() })],
  [
    'postgres, transactional',
    () =>
      new PostgresFlowEventStore({ pool: hostPool(), table: uniqueTable(), transactional: true }),
  ],
];

// The suite's PostgreSQL is made in the background by the global setup: wait for it.
beforeAll(() => postgresReady(), 60_000);
const hostPools: pg.Pool[] = [];
function hostPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl(), max: 4 });
  hostPools.push(pool);
  return pool;
}
function uniqueTable(): string {
  return `flow_events_${randomUUID().slice(0, 8)}`;
}
afterAll(async () => {
  await Promise.all(hostPools.map((pool) => pool.end()));
});

const hostClients: Redis[] = [];
function hostClient(): Redis {
  const client = new Redis(redisUrl(), { lazyConnect: true });
  hostClients.push(client);
  return client;
}
afterAll(async () => {
  await Promise.all(hostClients.map((client) => client.quit()));
});

describe.each(stores)('FlowEventStore contract (%s)', (_name, makeStore) => {
  const store = makeStore();
  const id = (): string => `whkevt_${randomUUID()}`;
  afterAll(() => store.close?.());

  it('claims a new id once; a second claimer is told it is busy with the lease left', async () => {
    const event = id();
    expect(await store.claim(event, 'a', 10_000)).toEqual({ state: 'claimed' });
    const second = await store.claim(event, 'b', 10_000);
    expect(second.state).toBe('busy');
    expect(second.state === 'busy' && second.retryAfterMs).toBeGreaterThan(0);
    expect(second.state === 'busy' && second.retryAfterMs).toBeLessThanOrEqual(10_000);
  });

  it('remembers a completed id as done, and only the owner can complete it', async () => {
    const event = id();
    await store.claim(event, 'owner', 10_000);
    expect(await store.complete(event, 'intruder', 60_000)).toBe(false);
    expect((await store.claim(event, 'other', 10_000)).state).toBe('busy');
    expect(await store.complete(event, 'owner', 60_000)).toBe(true);
    expect(await store.claim(event, 'other', 10_000)).toEqual({ state: 'done' });
    expect(await store.complete(event, 'owner', 60_000)).toBe(false);
  });

  it('only the owner can release; a released id can be claimed again', async () => {
    const event = id();
    await store.claim(event, 'owner', 10_000);
    expect(await store.release(event, 'intruder')).toBe(false);
    expect((await store.claim(event, 'next', 10_000)).state).toBe('busy');
    expect(await store.release(event, 'owner')).toBe(true);
    expect(await store.claim(event, 'next', 10_000)).toEqual({ state: 'claimed' });
  });

  it('counts failures across claims, only for the owner, and forgets them once done', async () => {
    const event = id();
    await store.claim(event, 't1', 10_000);
    expect(await store.recordFailure(event, 'intruder', 60_000)).toBeNull();
    expect(await store.recordFailure(event, 't1', 60_000)).toBe(1);
    await store.release(event, 't1');
    await store.claim(event, 't2', 10_000);
    expect(await store.recordFailure(event, 't2', 60_000)).toBe(2);
    await store.release(event, 't2');
    await store.claim(event, 't3', 10_000);
    expect(await store.complete(event, 't3', 60_000)).toBe(true);
    expect(await store.claim(event, 't4', 10_000)).toEqual({ state: 'done' });
  });

  it('lets a lapsed claim be taken over; the first owner can then neither renew, release, fail nor complete it', async () => {
    const event = id();
    await store.claim(event, 'first', 150);
    await sleep(400);
    expect(await store.claim(event, 'second', 10_000)).toEqual({ state: 'claimed' });
    expect(await store.renew(event, 'first', 10_000)).toBe(false);
    expect(await store.release(event, 'first')).toBe(false);
    expect(await store.recordFailure(event, 'first', 60_000)).toBeNull();
    expect(await store.complete(event, 'first', 60_000)).toBe(false);
    expect((await store.claim(event, 'third', 10_000)).state).toBe('busy');
    expect(await store.complete(event, 'second', 60_000)).toBe(true);
    expect(await store.claim(event, 'third', 10_000)).toEqual({ state: 'done' });
  });

  it('keeps a renewed claim past its first lease', async () => {
    const event = id();
    // Renewals a third of the lease apart (as the dispatcher does): a loaded machine has margin.
    await store.claim(event, 'slow', 1200);
    for (let i = 0; i < 4; i += 1) {
      await sleep(400);
      expect(await store.renew(event, 'slow', 1200)).toBe(true);
    }
    expect((await store.claim(event, 'other', 10_000)).state).toBe('busy');
    expect(await store.complete(event, 'slow', 60_000)).toBe(true);
  });

  it('forgets a done id after its time to live', async () => {
    const event = id();
    await store.claim(event, 'a', 10_000);
    await store.complete(event, 'a', 1000);
    expect(await store.claim(event, 'b', 10_000)).toEqual({ state: 'done' });
    await sleep(1300);
    expect(await store.claim(event, 'b', 10_000)).toEqual({ state: 'claimed' });
  });

  it('markDone marks a new id done in one step, once; a claim then finds it done', async () => {
    const event = id();
    const markDone = store.markDone?.bind(store);
    expect(markDone).toBeTypeOf('function');
    expect(await markDone!(event, 60_000)).toBe(true);
    expect(await markDone!(event, 60_000)).toBe(false);
    expect(await store.claim(event, 'a', 10_000)).toEqual({ state: 'done' });
  });

  it('markDone leaves alone an id held by a live claim or already completed', async () => {
    const claimed = id();
    await store.claim(claimed, 'owner', 10_000);
    expect(await store.markDone!(claimed, 60_000)).toBe(false);
    // The claim is intact: its owner still completes it.
    expect(await store.complete(claimed, 'owner', 60_000)).toBe(true);
    expect(await store.markDone!(claimed, 60_000)).toBe(false);
  });

  it('markDone takes an id again once its time to live or a lapsed lease has passed', async () => {
    const remembered = id();
    expect(await store.markDone!(remembered, 1000)).toBe(true);
    const lapsed = id();
    await store.claim(lapsed, 'gone', 1000);
    await sleep(1300);
    expect(await store.markDone!(remembered, 60_000)).toBe(true);
    expect(await store.markDone!(lapsed, 60_000)).toBe(true);
    expect(await store.complete(lapsed, 'gone', 60_000)).toBe(false);
  });
});

describe('RedisFlowEventStore with a host client', () => {
  it('leaves the client it was given open when closed: its owner closes it', async () => {
    const client = hostClient();
    const store = new RedisFlowEventStore({ client, keyPrefix: `test:${randomUUID()}:` });
    expect((await store.claim('whkevt_owned', 't', 1000)).state).toBe('claimed');
    await store.close();
    expect(client.status).toBe('ready');
    expect(await client.ping()).toBe('PONG');
  });

  it('refuses options without exactly one of client and url', () => {
    expect(() => new RedisFlowEventStore({})).toThrow(/exactly one of `client`/);
    expect(() => new RedisFlowEventStore({ client: hostClient(), url: redisUrl() })).toThrow(
      /exactly one of `client`/,
    );
  });
});

describe('RedisFlowEventStore under a burst', () => {
  it('waits for the connection once for all calls: no listener-leak warning in the host logs', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void =>
      void warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    const store = new RedisFlowEventStore({ url: redisUrl(), keyPrefix: `test:${randomUUID()}:` });
    try {
      // The first calls all arrive while the connection is being made, as a burst of deliveries does.
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.claim(`whkevt_burst${i}`, 't', 10_000)),
      );
      expect(results.every((result) => result.state === 'claimed')).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      expect(
        warnings.filter((warning) => warning.startsWith('MaxListenersExceededWarning')),
      ).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await store.close();
    }
  });
});

describe('RedisFlowEventStore after close', () => {
  it('opens no new connection once closed: a late call fails as unavailable instead of keeping the process alive', async () => {
    const store = new RedisFlowEventStore({ url: redisUrl(), keyPrefix: `test:${randomUUID()}:` });
    expect((await store.claim('whkevt_before_close', 't', 1000)).state).toBe('claimed');
    await store.close();
    await expect(store.complete('whkevt_before_close', 't', 60_000)).rejects.toMatchObject({
      name: 'FlowEventStoreUnavailableError',
      reason: 'not_connected',
    });
    await expect(store.claim('whkevt_after_close', 't', 1000)).rejects.toMatchObject({
      reason: 'not_connected',
    });
  });
});
