import type { FlowTelemetry } from '../telemetry/flow-telemetry.js';
import type { FlowEventStore } from './flow-event-store.interface.js';
import type {
  FlowDeliveryTransaction,
  FlowEventTransactions,
  FlowTransactionBegin,
} from './flow-event-transactions.js';
import { MemoryFlowEventStore } from './memory-event-store.js';
import { PostgresFlowEventStore } from './postgres/postgres-event-store.js';
import { RedisFlowEventStore } from './redis-event-store.js';

/** The `flow.store.kind` of a store: one of the shipped ones, else `custom`. */
export function storeKindOf(store: FlowEventStore): string {
  if (store instanceof MemoryFlowEventStore) return 'memory';
  if (store instanceof RedisFlowEventStore) return 'redis';
  if (store instanceof PostgresFlowEventStore) return 'postgres';
  return 'custom';
}

type Operation = 'claim' | 'renew' | 'complete' | 'release' | 'recordFailure' | 'markDone';
const OPERATIONS: readonly Operation[] = [
  'claim',
  'renew',
  'complete',
  'release',
  'recordFailure',
  'markDone',
];

/** The promise `method` returns when called on `target`; a synchronous throw as a rejection. */
async function call(method: StoreMethod, target: unknown, args: unknown[]): Promise<unknown> {
  return method.apply(target, args);
}

type StoreMethod = (...args: unknown[]) => Promise<unknown>;

/** `record_failure` and `mark_done`, as attribute values are spelt. */
function operationValue(operation: string): string {
  return operation.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Counts one operation's outcome as its promise settles, passing the value or the error on. */
interface Tally {
  readonly ok: (value: unknown) => unknown;
  readonly failed: (error: unknown) => never;
}

/**
 * The store as the dispatcher and the guard use it, counting each operation (`ok` or `error`).
 * The store itself is untouched: the view inherits from it, so `instanceof`, `close` and
 * `transactions` read through. In transactional mode `begin` is counted, and so are the steps of
 * each delivery's transaction, under the names the other mode gives the same step: `commit` as
 * `complete`, `fail` as `record_failure`, `end` as `release`, and `abort`. Without telemetry,
 * the store as is.
 */
export function observeEventStore(store: FlowEventStore, telemetry: FlowTelemetry): FlowEventStore {
  if (!telemetry.enabled) return store;
  const kind = storeKindOf(store);
  const view = Object.create(store) as Record<string, unknown>;
  // Made once per operation, so a call allocates nothing but its own promise.
  const tally = (operation: string): Tally => ({
    ok: (value) => {
      telemetry.storeOperation(kind, operation, true);
      return value;
    },
    failed: (error) => {
      telemetry.storeOperation(kind, operation, false);
      throw error;
    },
  });
  const counted = (operation: string, method: StoreMethod) => {
    const { ok, failed } = tally(operation);
    return (...args: unknown[]) => call(method, store, args).then(ok, failed);
  };
  const methods = store as unknown as Record<string, StoreMethod | undefined>;
  for (const operation of OPERATIONS) {
    const method = methods[operation];
    if (typeof method !== 'function') continue;
    view[operation] = counted(operationValue(operation), method);
  }
  // Called on the store itself, whose private fields the view does not have.
  if (typeof store.close === 'function') view.close = () => store.close!();
  const transactions = (store as { transactions?: FlowEventTransactions<unknown> }).transactions;
  if (transactions !== undefined) {
    const begin = counted('begin', (id) => transactions.begin(id as string));
    const observeDelivery = observedDeliveries(tally);
    view.transactions = {
      begin: (id: string) =>
        (begin(id) as Promise<FlowTransactionBegin<unknown>>).then((begun) =>
          begun.state === 'claimed'
            ? { state: 'claimed', delivery: observeDelivery(begun.delivery) }
            : begun,
        ),
    } satisfies FlowEventTransactions<unknown>;
  }
  return view as unknown as FlowEventStore;
}

/** Wraps one delivery's transaction so each of its steps is counted; `transaction` reads through. */
function observedDeliveries(
  tally: (operation: string) => Tally,
): (unit: FlowDeliveryTransaction<unknown>) => FlowDeliveryTransaction<unknown> {
  const commit = tally('complete');
  const fail = tally('record_failure');
  const end = tally('release');
  const abort = tally('abort');
  const step = <T>(counts: Tally, run: () => Promise<T>): Promise<T> =>
    call(run, undefined, []).then(counts.ok, counts.failed) as Promise<T>;
  return (unit) => ({
    get transaction() {
      return unit.transaction;
    },
    commit: (doneTtlMs) => step(commit, () => unit.commit(doneTtlMs)),
    fail: (retainMs) => step(fail, () => unit.fail(retainMs)),
    end: () => step(end, () => unit.end()),
    abort: () => step(abort, () => unit.abort()),
  });
}
