import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeaseKeeper } from '../../lib/events/lease-renewal.js';
import { MemoryFlowEventStore } from '../../lib/events/memory-event-store.js';
import { HOSTILE_TEXT, TERMINAL_ACTIVE } from '../support/hostile-text.js';

const LEASE_MS = 3000;

describe('LeaseKeeper', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function keeper() {
    const store = new MemoryFlowEventStore({ now: () => Date.now() });
    const renew = vi.spyOn(store, 'renew');
    const warn = vi.fn();
    const leases = new LeaseKeeper(store, LEASE_MS, { warn } as unknown as Logger);
    return { store, renew, warn, leases };
  }

  it('keeps every held claim alive on one timer, past several leases', async () => {
    const { store, renew, leases } = keeper();
    await store.claim('a', 'ta', LEASE_MS);
    await store.claim('b', 'tb', LEASE_MS);
    const a = leases.hold('a', 'ta');
    const b = leases.hold('b', 'tb');
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(3 * LEASE_MS);
    // Both claims outlived three leases, so only the renewals kept them.
    expect(await store.complete('a', 'ta', 60_000)).toBe(true);
    expect(await store.complete('b', 'tb', 60_000)).toBe(true);
    expect(renew.mock.calls.filter(([id]) => id === 'a').length).toBeGreaterThanOrEqual(8);
    expect(a.lost || b.lost).toBe(false);
    a.stop();
    b.stop();
  });

  it('stops renewing a claim once stopped, and leaves no timer once nothing is held', async () => {
    const { store, renew, leases } = keeper();
    await store.claim('a', 'ta', LEASE_MS);
    leases.hold('a', 'ta').stop();
    await vi.advanceTimersByTimeAsync(2 * LEASE_MS);
    expect(renew).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('logs a hostile event id and store error escaped', async () => {
    const { store, warn, leases } = keeper();
    const id = `whkevt_${HOSTILE_TEXT}`;
    await store.claim(id, 'ta', LEASE_MS);
    vi.spyOn(store, 'renew').mockRejectedValueOnce(new Error(`down ${HOSTILE_TEXT}`));
    const held = leases.hold(id, 'ta');
    await vi.advanceTimersByTimeAsync(LEASE_MS);
    await store.release(id, 'ta');
    await store.claim(id, 'someone-else', LEASE_MS);
    await vi.advanceTimersByTimeAsync(2 * LEASE_MS);
    expect(held.lost).toBe(true);
    const lines = warn.mock.calls.map(([line]) => String(line));
    expect(lines.some((line) => line.includes('lease renewal failed'))).toBe(true);
    expect(lines.some((line) => line.includes('taken over'))).toBe(true);
    for (const line of lines) expect(line).not.toMatch(TERMINAL_ACTIVE);
  });

  it('reports a claim taken over by another owner as lost, once', async () => {
    const { store, warn, leases } = keeper();
    await store.claim('a', 'ta', LEASE_MS);
    await store.release('a', 'ta');
    await store.claim('a', 'someone-else', LEASE_MS);
    const held = leases.hold('a', 'ta');
    await vi.advanceTimersByTimeAsync(3 * LEASE_MS);
    expect(held.lost).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain('taken over');
  });

  it('renews exactly the claims still held, whichever ones stop and in whatever order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.nat(30), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (numbers, picks) => {
          const { store, renew, leases } = keeper();
          const ids = numbers.map((n) => `whkevt_${n}`);
          const holds = new Map<string, { stop(): void }>();
          for (const id of ids) {
            await store.claim(id, `t-${id}`, LEASE_MS);
            holds.set(id, leases.hold(id, `t-${id}`));
          }
          // Stop a few, picked anywhere in the order they were taken.
          const stopped = new Set<string>();
          for (const pick of picks) {
            const id = ids[pick % ids.length];
            holds.get(id)?.stop();
            stopped.add(id);
          }
          renew.mockClear();
          await vi.advanceTimersByTimeAsync(2 * LEASE_MS);
          const renewed = new Set(renew.mock.calls.map(([id]) => id));
          const held = ids.filter((id) => !stopped.has(id));
          expect([...renewed].sort()).toEqual([...held].sort());
          for (const id of held) expect(await store.renew(id, `t-${id}`, LEASE_MS)).toBe(true);
          // Every stopped claim lapsed: nothing renewed it.
          for (const id of stopped) expect(await store.complete(id, `t-${id}`, 1_000)).toBe(false);
          for (const id of held) holds.get(id)?.stop();
          await vi.advanceTimersByTimeAsync(LEASE_MS);
          expect(vi.getTimerCount()).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('close() releases every claim held: no renewal and no timer after it', async () => {
    const { store, renew, leases } = keeper();
    for (const id of ['a', 'b', 'c']) {
      await store.claim(id, `t-${id}`, LEASE_MS);
      leases.hold(id, `t-${id}`);
    }
    leases.close();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(3 * LEASE_MS);
    expect(renew).not.toHaveBeenCalled();
    // A hold taken after close() starts the timer again.
    await store.claim('d', 't-d', LEASE_MS);
    const d = leases.hold('d', 't-d');
    await vi.advanceTimersByTimeAsync(2 * LEASE_MS);
    expect(renew.mock.calls.map(([id]) => id)).toEqual(expect.arrayContaining(['d']));
    expect(new Set(renew.mock.calls.map(([id]) => id))).toEqual(new Set(['d']));
    d.stop();
  });
});
