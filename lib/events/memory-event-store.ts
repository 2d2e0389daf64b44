import { FlowEventStoreUnavailableError } from './flow-event-store.error.js';
import type { FlowClaimResult, FlowEventStore } from './flow-event-store.interface.js';
import { wholeNumberProblem } from '../option-checks/whole-number.js';

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
}

/** Default cap: a few tens of MB at most, whatever the flood of unique ids. */
const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * The default store: one process only. Entries in least-recently-used order with a TTL each,
 * capped at `maxEntries`, so memory stays flat under any number of ids. Several instances need a
 * shared store such as {@link RedisFlowEventStore}; so does keeping done ids across restarts.
 */
export class MemoryFlowEventStore implements FlowEventStore {
  /** Oldest first: a Map keeps insertion order, so deleting and setting again marks an entry used. */
  private readonly entries = new Map<string, Entry>();
  /**
   * Walks `entries` from the old end; everything before it has been deleted. One walk is kept:
   * a new iterator steps over every deleted slot at the front (V8 compacts them only on rehash),
   * which made each eviction of a full store cost about 96 µs instead of 2 µs.
   */
  private cursor = this.entries.values();
  /** The entry `cursor` gave last, while it is still in place: the least recently used. */
  private head: Entry | undefined;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryFlowEventStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    const problem = wholeNumberProblem('MemoryFlowEventStore maxEntries', maxEntries, 1);
    if (problem !== undefined) throw new RangeError(problem);
    this.maxEntries = maxEntries;
    this.now = options.now ?? Date.now;
  }

  /** How many ids are remembered right now (never above `maxEntries`). */
  get size(): number {
    return this.entries.size;
  }

  /** {@inheritDoc FlowEventStore.claim} */
  claim(id: string, token: string, leaseMs: number): Promise<FlowClaimResult> {
    return settled(() => this.claimNow(id, token, leaseMs));
  }

  private claimNow(id: string, token: string, leaseMs: number): FlowClaimResult {
    const now = this.now();
    const entry = this.read(id, now);
    if (entry?.state === 'done' && entry.until > now) return { state: 'done' };
    if (entry?.state === 'claimed' && entry.until > now)
      return { state: 'busy', retryAfterMs: entry.until - now };
    if (!entry && !this.makeRoom(now)) {
      // Evicting a claim whose handlers still run would let a duplicate run them concurrently.
      throw this.full();
    }
    if (entry) {
      // A free entry, or a lapsed claim: taken over in place, its failure count kept while it lasts.
      if (!(entry.failuresUntil > now)) entry.failures = 0;
      entry.state = 'claimed';
      entry.token = token;
      entry.until = now + leaseMs;
      this.touch(entry, now);
    } else {
      this.link({
        id,
        state: 'claimed',
        token,
        until: now + leaseMs,
        failures: 0,
        failuresUntil: 0,
      });
      this.dropExpired(now);
    }
    return { state: 'claimed' };
  }

  /** {@inheritDoc FlowEventStore.markDone} */
  markDone(id: string, doneTtlMs: number): Promise<boolean> {
    return settled(() => this.markDoneNow(id, doneTtlMs));
  }

  private markDoneNow(id: string, doneTtlMs: number): boolean {
    const now = this.now();
    const entry = this.read(id, now);
    if ((entry?.state === 'done' || entry?.state === 'claimed') && entry.until > now) return false;
    if (!entry && !this.makeRoom(now)) {
      throw this.full();
    }
    if (entry) {
      this.markEntryDone(entry, now, doneTtlMs);
    } else {
      this.link({
        id,
        state: 'done',
        token: undefined,
        until: now + doneTtlMs,
        failures: 0,
        failuresUntil: 0,
      });
      this.dropExpired(now);
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
    this.touch(entry, now);
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
  private markEntryDone(entry: Entry, now: number, doneTtlMs: number): void {
    // Updated in place: no second object and no Map delete and set per event.
    entry.state = 'done';
    entry.token = undefined;
    entry.until = now + doneTtlMs;
    entry.failures = 0;
    entry.failuresUntil = 0;
    this.touch(entry, now);
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
      this.remove(entry);
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
    this.touch(entry, now);
    return entry.failures;
  }

  /** Forgets everything. */
  close(): Promise<void> {
    return settled(() => this.closeNow());
  }

  private closeNow(): void {
    this.entries.clear();
    this.cursor = this.entries.values();
    this.head = undefined;
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

  /** Makes a stored `entry` the most recently used, then drops expired ones. */
  private touch(entry: Entry, now: number): void {
    this.moveToNewest(entry);
    this.dropExpired(now);
  }

  private moveToNewest(entry: Entry): void {
    this.remove(entry);
    this.entries.set(entry.id, entry);
  }

  /** The least recently used entry. */
  private oldest(): Entry | undefined {
    if (this.head === undefined && this.entries.size > 0) {
      let next = this.cursor.next();
      // A walk that has ended sees no later entry; none ends while entries remain, but be sure.
      if (next.done === true) {
        this.cursor = this.entries.values();
        next = this.cursor.next();
      }
      this.head = next.value;
    }
    return this.head;
  }

  /** Expired entries gather at the old end: a couple go per write, so idle memory shrinks too. */
  private dropExpired(now: number): void {
    for (let checked = 0; checked < 2; checked += 1) {
      const oldest = this.oldest();
      if (oldest === undefined || !expired(oldest, now)) return;
      this.remove(oldest);
    }
  }

  /**
   * Frees a slot for a new id by dropping the least recently used entries, never a claim whose
   * handlers still run (those move to the new end). False when every entry is such a claim.
   */
  private makeRoom(now: number): boolean {
    let spared = 0;
    while (this.entries.size >= this.maxEntries) {
      const candidate = this.oldest() as Entry;
      if (candidate.state === 'claimed' && candidate.until > now) {
        if (spared >= this.entries.size) return false;
        spared += 1;
        this.moveToNewest(candidate);
        continue;
      }
      this.remove(candidate);
    }
    return true;
  }

  /** Stores `entry` as the most recently used. */
  private link(entry: Entry): void {
    this.entries.set(entry.id, entry);
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.id);
    if (this.head === entry) this.head = undefined;
  }
}

function expired(entry: Entry, now: number): boolean {
  return Math.max(entry.until, entry.failuresUntil) <= now;
}

/** Runs a synchronous store step as a promise: a throw becomes a rejection, as in an async method. */
function settled<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
