import { FlowEventStoreUnavailableError } from './flow-event-store.error.js';
import type { FlowClaimResult, FlowEventStore } from './flow-event-store.interface.js';

/** Options of {@link MemoryFlowEventStore}. */
export interface MemoryFlowEventStoreOptions {
  /** Most ids remembered at once; the least recently used go first. Default 100 000. */
  maxEntries?: number;
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  id: string;
  state: 'free' | 'claimed' | 'done';
  token?: string;
  /** End of the lease (claimed) or of the memory of it (done). */
  until: number;
  failures: number;
  failuresUntil: number;
  /** Neighbours in recency order (older, newer): a linked list, since deleting from the front of a Map makes its iterators slow. */
  older?: Entry;
  newer?: Entry;
}

/** Runs synchronous work as the store interface's promise: a throw becomes a rejection. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

/** Default cap: a few tens of MB at most, whatever the flood of unique ids. */
const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * The default store: one process only. Entries in least-recently-used order with a TTL each,
 * capped at `maxEntries`, so memory stays flat under any number of ids. Several instances need a
 * shared store such as {@link RedisFlowEventStore}; so does keeping done ids across restarts.
 */
export class MemoryFlowEventStore implements FlowEventStore {
  private readonly entries = new Map<string, Entry>();
  private oldest: Entry | undefined;
  private newest: Entry | undefined;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryFlowEventStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(
        `MemoryFlowEventStore maxEntries must be a whole number of at least 1, got ${maxEntries}.`,
      );
    }
    this.maxEntries = maxEntries;
    this.now = options.now ?? Date.now;
  }

  /** How many ids are remembered right now (never above `maxEntries`). */
  get size(): number {
    return this.entries.size;
  }

  /** {@inheritDoc FlowEventStore.claim} */
  claim(id: string, token: string, leaseMs: number): Promise<FlowClaimResult> {
    return settle(() => this.claimNow(id, token, leaseMs));
  }

  /** {@inheritDoc FlowEventStore.renew} */
  renew(id: string, token: string, leaseMs: number): Promise<boolean> {
    return settle(() => this.renewNow(id, token, leaseMs));
  }

  /** {@inheritDoc FlowEventStore.complete} */
  complete(id: string, token: string, doneTtlMs: number): Promise<boolean> {
    return settle(() => this.completeNow(id, token, doneTtlMs));
  }

  /** {@inheritDoc FlowEventStore.release} */
  release(id: string, token: string): Promise<boolean> {
    return settle(() => this.releaseNow(id, token));
  }

  /** {@inheritDoc FlowEventStore.recordFailure} */
  recordFailure(id: string, token: string, retainMs: number): Promise<number | null> {
    return settle(() => this.recordFailureNow(id, token, retainMs));
  }

  private claimNow(id: string, token: string, leaseMs: number): FlowClaimResult {
    const now = this.now();
    const entry = this.read(id, now);
    if (entry?.state === 'done' && entry.until > now) return { state: 'done' };
    if (entry?.state === 'claimed' && entry.until > now)
      return { state: 'busy', retryAfterMs: entry.until - now };
    if (!entry && !this.makeRoom(now)) {
      // Evicting a claim whose handlers still run would let a duplicate run them concurrently.
      throw new FlowEventStoreUnavailableError(
        'full',
        `MemoryFlowEventStore holds ${this.maxEntries} claims in progress and takes no new id until one ends; raise maxEntries.`,
      );
    }
    const failures = entry && entry.failuresUntil > now ? entry.failures : 0;
    this.write({
      id,
      state: 'claimed',
      token,
      until: now + leaseMs,
      failures,
      failuresUntil: entry?.failuresUntil ?? 0,
    });
    return { state: 'claimed' };
  }

  private renewNow(id: string, token: string, leaseMs: number): boolean {
    const now = this.now();
    const entry = this.owned(id, token, now);
    if (!entry) return false;
    entry.until = now + leaseMs;
    this.write(entry);
    return true;
  }

  private completeNow(id: string, token: string, doneTtlMs: number): boolean {
    const now = this.now();
    if (!this.owned(id, token, now)) return false;
    this.write({ id, state: 'done', until: now + doneTtlMs, failures: 0, failuresUntil: 0 });
    return true;
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
      this.remove(entry);
    }
    return true;
  }

  private recordFailureNow(id: string, token: string, retainMs: number): number | null {
    const now = this.now();
    const entry = this.owned(id, token, now);
    if (!entry) return null;
    entry.failures = (entry.failuresUntil > now ? entry.failures : 0) + 1;
    entry.failuresUntil = now + retainMs;
    this.write(entry);
    return entry.failures;
  }

  /** Forgets everything. */
  close(): Promise<void> {
    this.entries.clear();
    this.oldest = undefined;
    this.newest = undefined;
    return Promise.resolve();
  }

  private owned(id: string, token: string, now: number): Entry | undefined {
    const entry = this.read(id, now);
    return entry?.state === 'claimed' && entry.token === token && entry.until > now
      ? entry
      : undefined;
  }

  /** The live entry of `id`, dropping it when nothing in it is worth keeping any more. */
  private read(id: string, now: number): Entry | undefined {
    const entry = this.entries.get(id);
    if (entry && expired(entry, now)) {
      this.remove(entry);
      return undefined;
    }
    return entry;
  }

  /** Stores `entry` as the most recently used, then drops a couple of expired ones. */
  private write(entry: Entry): void {
    const previous = this.entries.get(entry.id);
    if (previous) this.remove(previous);
    this.link(entry);
    const now = this.now();
    // Expired entries gather at the old end: drop a couple per write so idle memory shrinks too.
    for (let checked = 0; checked < 2 && this.oldest && expired(this.oldest, now); checked += 1) {
      this.remove(this.oldest);
    }
  }

  /**
   * Frees a slot for a new id by dropping the least recently used entries, never a claim whose
   * handlers still run (those move to the new end). False when every entry is such a claim.
   */
  private makeRoom(now: number): boolean {
    let spared = 0;
    while (this.entries.size >= this.maxEntries && this.oldest) {
      const candidate = this.oldest;
      if (candidate.state === 'claimed' && candidate.until > now) {
        if (spared >= this.entries.size) return false;
        spared += 1;
        this.remove(candidate);
        this.link(candidate);
        continue;
      }
      this.remove(candidate);
    }
    return true;
  }

  /** Appends `entry` as the most recently used. */
  private link(entry: Entry): void {
    this.entries.set(entry.id, entry);
    entry.older = this.newest;
    entry.newer = undefined;
    if (this.newest) this.newest.newer = entry;
    else this.oldest = entry;
    this.newest = entry;
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.id);
    if (entry.older) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.newest = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }
}

function expired(entry: Entry, now: number): boolean {
  return Math.max(entry.until, entry.failuresUntil) <= now;
}
