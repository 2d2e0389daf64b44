import { FlowEventStoreUnavailableError } from './flow-event-store.error.js';
import type { FlowClaimResult, FlowEventStore } from './flow-event-store.interface.js';
import { wholeNumberProblem } from '../option-checks/whole-number.js';
import { MemoryEntryTable, type MemoryEntry } from './memory-event-entries.js';

/** Options of {@link MemoryFlowEventStore}. */
export interface MemoryFlowEventStoreOptions {
  /** Most ids remembered at once; the least recently used go first. Default 100 000. */
  maxEntries?: number;
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  now?: () => number;
}

/** Default cap: a few tens of MB at most, whatever the flood of unique ids. */
const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * The default store: one process only. Entries in least-recently-used order with a TTL each,
 * capped at `maxEntries`, so memory stays flat under any number of ids. Several instances need a
 * shared store such as {@link RedisFlowEventStore}; so does keeping done ids across restarts.
 */
export class MemoryFlowEventStore implements FlowEventStore {
  /** The ids remembered, least recently used first. */
  private readonly entries: MemoryEntryTable;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryFlowEventStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    const problem = wholeNumberProblem('MemoryFlowEventStore maxEntries', maxEntries, 1);
    if (problem !== undefined) throw new RangeError(problem);
    this.maxEntries = maxEntries;
    this.entries = new MemoryEntryTable(maxEntries);
    this.now = options.now ?? Date.now;
  }

  /** How many ids are remembered right now (never above `maxEntries`). */
  get size(): number {
    return this.entries.size;
  }

  /** Always answers: the entries live in this process. */
  ping(): Promise<void> {
    return Promise.resolve();
  }

  /** {@inheritDoc FlowEventStore.claim} */
  claim(id: string, token: string, leaseMs: number): Promise<FlowClaimResult> {
    return settled(() => this.claimNow(id, token, leaseMs));
  }

  private claimNow(id: string, token: string, leaseMs: number): FlowClaimResult {
    const now = this.now();
    const entry = this.entries.read(id, now);
    if (entry?.state === 'done' && entry.until > now) return { state: 'done' };
    if (entry?.state === 'claimed' && entry.until > now)
      return { state: 'busy', retryAfterMs: entry.until - now };
    if (!entry && !this.entries.makeRoom(now)) {
      // Evicting a claim whose handlers still run would let a duplicate run them concurrently.
      throw this.full();
    }
    if (entry) {
      // A free entry, or a lapsed claim: taken over in place, its failure count kept while it lasts.
      if (!(entry.failuresUntil > now)) entry.failures = 0;
      entry.state = 'claimed';
      entry.token = token;
      entry.until = now + leaseMs;
      this.entries.touch(entry, now);
    } else {
      this.entries.add(id, 'claimed', token, now + leaseMs, now);
    }
    return { state: 'claimed' };
  }

  /** {@inheritDoc FlowEventStore.markDone} */
  markDone(id: string, doneTtlMs: number): Promise<boolean> {
    return settled(() => this.markDoneNow(id, doneTtlMs));
  }

  private markDoneNow(id: string, doneTtlMs: number): boolean {
    const now = this.now();
    const entry = this.entries.read(id, now);
    if ((entry?.state === 'done' || entry?.state === 'claimed') && entry.until > now) return false;
    if (!entry && !this.entries.makeRoom(now)) {
      throw this.full();
    }
    if (entry) {
      this.markEntryDone(entry, now, doneTtlMs);
    } else {
      this.entries.add(id, 'done', undefined, now + doneTtlMs, now);
    }
    return true;
  }

  /** {@inheritDoc FlowEventStore.renew} */
  renew(id: string, token: string, leaseMs: number): Promise<boolean> {
    return settled(() => this.renewNow(id, token, leaseMs));
  }

  private renewNow(id: string, token: string, leaseMs: number): boolean {
    const now = this.now();
    const entry = this.owned(id, token, now);
    if (!entry) return false;
    entry.until = now + leaseMs;
    this.entries.touch(entry, now);
    return true;
  }

  /** {@inheritDoc FlowEventStore.complete} */
  complete(id: string, token: string, doneTtlMs: number): Promise<boolean> {
    return settled(() => this.completeNow(id, token, doneTtlMs));
  }

  private completeNow(id: string, token: string, doneTtlMs: number): boolean {
    const now = this.now();
    const entry = this.owned(id, token, now);
    if (!entry) return false;
    this.markEntryDone(entry, now, doneTtlMs);
    return true;
  }

  /** The refusal of a new id when every entry is a claim whose handlers still run. */
  private full(): FlowEventStoreUnavailableError {
    return new FlowEventStoreUnavailableError(
      'full',
      `MemoryFlowEventStore holds ${this.maxEntries} claims in progress and takes no new id until one ends; raise maxEntries.`,
    );
  }

  /** Marks a stored entry done for `doneTtlMs`, failures forgotten. */
  private markEntryDone(entry: MemoryEntry, now: number, doneTtlMs: number): void {
    // Updated in place: no second object and no Map delete and set per event.
    entry.state = 'done';
    entry.token = undefined;
    entry.until = now + doneTtlMs;
    entry.failures = 0;
    entry.failuresUntil = 0;
    this.entries.touch(entry, now);
  }

  /** {@inheritDoc FlowEventStore.release} */
  release(id: string, token: string): Promise<boolean> {
    return settled(() => this.releaseNow(id, token));
  }

  private releaseNow(id: string, token: string): boolean {
    const now = this.now();
    const entry = this.owned(id, token, now);
    if (!entry) return false;
    if (entry.failures > 0 && entry.failuresUntil > now) {
      entry.state = 'free';
      entry.token = undefined;
      entry.until = now;
    } else {
      this.entries.remove(entry);
    }
    return true;
  }

  /** {@inheritDoc FlowEventStore.recordFailure} */
  recordFailure(id: string, token: string, retainMs: number): Promise<number | null> {
    return settled(() => this.recordFailureNow(id, token, retainMs));
  }

  private recordFailureNow(id: string, token: string, retainMs: number): number | null {
    const now = this.now();
    const entry = this.owned(id, token, now);
    if (!entry) return null;
    entry.failures = (entry.failuresUntil > now ? entry.failures : 0) + 1;
    entry.failuresUntil = now + retainMs;
    this.entries.touch(entry, now);
    return entry.failures;
  }

  /** Forgets everything. */
  close(): Promise<void> {
    return settled(() => this.closeNow());
  }

  private closeNow(): void {
    this.entries.clear();
  }

  private owned(id: string, token: string, now: number): MemoryEntry | undefined {
    const entry = this.entries.read(id, now);
    return entry?.state === 'claimed' && entry.token === token && entry.until > now
      ? entry
      : undefined;
  }
}

/** Runs a synchronous store step as a promise: a throw becomes a rejection, as in an async method. */
function settled<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
