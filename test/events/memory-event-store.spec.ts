import { describe, expect, it } from 'vitest';
import { MemoryFlowEventStore } from '../../lib/events/memory-event-store.js';

describe('MemoryFlowEventStore bound', () => {
  it('stays at its cap under 1,000,000 unique ids and still knows the most recent cap ids as done', async () => {
    const cap = 10_000;
    const total = 1_000_000;
    const store = new MemoryFlowEventStore({ maxEntries: cap });
    let largest = 0;
    let claimed = 0;
    for (let i = 0; i < total; i += 1) {
      const id = `whkevt_${i}`;
      if ((await store.claim(id, 't', 30_000)).state === 'claimed') claimed += 1;
      await store.complete(id, 't', 3_600_000);
      if (store.size > largest) largest = store.size;
    }
    expect(claimed).toBe(total);
    expect(largest).toBe(cap);
    expect(store.size).toBe(cap);
    let done = 0;
    for (let i = total - cap; i < total; i += 1) {
      if ((await store.claim(`whkevt_${i}`, 'again', 30_000)).state === 'done') done += 1;
    }
    expect(done).toBe(cap);
    // The oldest ids were evicted to make room: the store is bounded, not a list of everything.
    expect((await store.claim('whkevt_0', 'again', 30_000)).state).toBe('claimed');
  });

  it('never evicts a claim whose handlers still run, even when it is the least recently used', async () => {
    const store = new MemoryFlowEventStore({ maxEntries: 3 });
    expect((await store.claim('whkevt_running', 'owner', 60_000)).state).toBe('claimed');
    for (let i = 0; i < 10; i += 1) {
      await store.claim(`whkevt_${i}`, 't', 60_000);
      await store.complete(`whkevt_${i}`, 't', 60_000);
    }
    expect(store.size).toBe(3);
    expect((await store.claim('whkevt_running', 'duplicate', 60_000)).state).toBe('busy');
    expect(await store.complete('whkevt_running', 'owner', 60_000)).toBe(true);
  });

  it('refuses a new claim (store unavailable, so 503) rather than evict a live one when every entry is a claim in progress', async () => {
    const store = new MemoryFlowEventStore({ maxEntries: 2 });
    expect((await store.claim('whkevt_a', 'a', 60_000)).state).toBe('claimed');
    expect((await store.claim('whkevt_b', 'b', 60_000)).state).toBe('claimed');
    await expect(store.claim('whkevt_c', 'c', 60_000)).rejects.toMatchObject({
      name: 'FlowEventStoreUnavailableError',
    });
    expect(store.size).toBe(2);
    // Both running claims are still held: a duplicate of either is told to wait.
    expect((await store.claim('whkevt_a', 'dup', 60_000)).state).toBe('busy');
    expect((await store.claim('whkevt_b', 'dup', 60_000)).state).toBe('busy');
    // Once one finishes, done entries can make room again.
    expect(await store.complete('whkevt_a', 'a', 60_000)).toBe(true);
    expect((await store.claim('whkevt_c', 'c', 60_000)).state).toBe('claimed');
    expect(store.size).toBe(2);
    expect((await store.claim('whkevt_b', 'dup', 60_000)).state).toBe('busy');
  });

  it('refuses a cap that is not a positive whole number', () => {
    expect(() => new MemoryFlowEventStore({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => new MemoryFlowEventStore({ maxEntries: 1.5 })).toThrow(/maxEntries/);
  });
});
