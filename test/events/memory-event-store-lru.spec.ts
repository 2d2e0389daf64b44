import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryFlowEventStore } from '../../lib/events/memory-event-store.js';

type Op =
  | { kind: 'claim'; id: string; token: string }
  | { kind: 'markDone'; id: string }
  | { kind: 'complete'; id: string; token: string }
  | { kind: 'renew'; id: string; token: string }
  | { kind: 'release'; id: string; token: string };

/**
 * The store's contract with the clock stopped, written the plain way: an array of ids from least
 * to most recently used. A new id evicts from the front, never a claim in progress (those move to
 * the back); when every entry is a claim in progress, the new id is refused.
 */
class LruModel {
  private readonly order: string[] = [];
  private readonly state = new Map<string, { done: boolean; token?: string }>();

  constructor(private readonly cap: number) {}

  get size(): number {
    return this.order.length;
  }

  apply(op: Op): unknown {
    const entry = this.state.get(op.id);
    switch (op.kind) {
      case 'claim':
        if (entry) return entry.done ? 'done' : 'busy';
        if (!this.makeRoom()) return 'full';
        this.insert(op.id, { done: false, token: op.token });
        return 'claimed';
      case 'markDone':
        if (entry) return false;
        if (!this.makeRoom()) return 'full';
        this.insert(op.id, { done: true });
        return true;
      case 'complete':
      case 'renew':
        if (!entry || entry.done || entry.token !== op.token) return false;
        if (op.kind === 'complete') this.state.set(op.id, { done: true });
        this.moveToBack(op.id);
        return true;
      case 'release':
        if (!entry || entry.done || entry.token !== op.token) return false;
        this.state.delete(op.id);
        this.order.splice(this.order.indexOf(op.id), 1);
        return true;
    }
  }

  private insert(id: string, value: { done: boolean; token?: string }): void {
    this.state.set(id, value);
    this.order.push(id);
  }

  private moveToBack(id: string): void {
    this.order.splice(this.order.indexOf(id), 1);
    this.order.push(id);
  }

  private makeRoom(): boolean {
    let spared = 0;
    while (this.order.length >= this.cap) {
      const oldest = this.order[0];
      if (!this.state.get(oldest)?.done) {
        if (spared >= this.order.length) return false;
        spared += 1;
        this.moveToBack(oldest);
        continue;
      }
      this.order.shift();
      this.state.delete(oldest);
    }
    return true;
  }
}

async function run(store: MemoryFlowEventStore, op: Op): Promise<unknown> {
  try {
    switch (op.kind) {
      case 'claim':
        return (await store.claim(op.id, op.token, 60_000)).state;
      case 'markDone':
        return await store.markDone(op.id, 60_000);
      case 'complete':
        return await store.complete(op.id, op.token, 60_000);
      case 'renew':
        return await store.renew(op.id, op.token, 60_000);
      case 'release':
        return await store.release(op.id, op.token);
    }
  } catch (error) {
    if ((error as Error).name === 'FlowEventStoreUnavailableError') return 'full';
    throw error;
  }
}

// Few ids, one token mostly and a small cap, so ids are used again, evicted and claimed again.
const id = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const token = fc.constantFrom('t1', 't1', 't1', 't2');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('claim' as const), id, token }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('markDone' as const), id }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('complete' as const), id, token }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('renew' as const), id, token }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), id, token }) },
);

describe('MemoryFlowEventStore evicts the least recently used id', () => {
  it('answers every step as the plain LRU model does (clock stopped)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(op, { maxLength: 80 }),
        async (cap, ops) => {
          const store = new MemoryFlowEventStore({ maxEntries: cap, now: () => 1_000 });
          const model = new LruModel(cap);
          for (const step of ops) {
            expect({ step, answer: await run(store, step) }).toEqual({
              step,
              answer: model.apply(step),
            });
            expect(store.size).toBe(model.size);
          }
        },
      ),
      {
        // A store that never moves a used id (first in, first out) shows in about one run in
        // 1,500; this one, found that way, always runs.
        examples: [
          [
            2,
            [
              { kind: 'claim', id: 'c', token: 't1' },
              { kind: 'markDone', id: 'e' },
              { kind: 'complete', id: 'c', token: 't1' },
              { kind: 'markDone', id: 'a' },
              { kind: 'markDone', id: 'c' },
            ],
          ],
        ],
        numRuns: 5_000,
      },
    );
  });

  it('keeps an id it has just used and evicts the one used longest ago', async () => {
    const store = new MemoryFlowEventStore({ maxEntries: 3, now: () => 1_000 });
    for (const name of ['a', 'b', 'c']) await store.claim(name, 't', 60_000);
    // Completing 'a' uses it last; 'b' is now the least recently used.
    for (const name of ['b', 'c', 'a']) await store.complete(name, 't', 60_000);
    await store.markDone('d', 60_000);
    expect((await store.claim('a', 'again', 60_000)).state).toBe('done');
    expect((await store.claim('c', 'again', 60_000)).state).toBe('done');
    expect((await store.claim('b', 'again', 60_000)).state).toBe('claimed');
  });
});
