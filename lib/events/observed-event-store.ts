import type { FlowTelemetry } from '../telemetry/flow-telemetry.js';
import type { FlowEventStore } from './flow-event-store.interface.js';
import type { FlowEventTransactions } from './flow-event-transactions.js';
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

/** The promise `run` returns; a synchronous throw as a rejection. */
async function attempt<T>(run: () => Promise<T>): Promise<T> {
  return run();
}

/** `record_failure` and `mark_done`, as attribute values are spelt. */
function operationValue(operation: string): string {
  return operation.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * The store as the dispatcher and the guard use it, counting each operation (`ok` or `error`).
 * The store itself is untouched: the view inherits from it, so `instanceof`, `close` and
 * `transactions` (whose `begin` is counted too) read through. Without telemetry, the store as is.
 */
export function observeEventStore(store: FlowEventStore, telemetry: FlowTelemetry): FlowEventStore {
  if (!telemetry.enabled) return store;
  const kind = storeKindOf(store);
  const view = Object.create(store) as Record<string, unknown>;
  const count = <T>(operation: string, run: () => Promise<T>): Promise<T> =>
    attempt(run).then(
      (value) => {
        telemetry.storeOperation(kind, operation, true);
        return value;
      },
      (error: unknown) => {
        telemetry.storeOperation(kind, operation, false);
        throw error;
      },
    );
  const methods = store as unknown as Record<
    string,
    ((...args: unknown[]) => Promise<unknown>) | undefined
  >;
  for (const operation of OPERATIONS) {
    const method = methods[operation];
    if (typeof method !== 'function') continue;
    const name = operationValue(operation);
    view[operation] = (...args: unknown[]) => count(name, () => method.apply(store, args));
  }
  // Called on the store itself, whose private fields the view does not have.
  if (typeof store.close === 'function') view.close = () => store.close!();
  const transactions = (store as { transactions?: FlowEventTransactions<unknown> }).transactions;
  if (transactions !== undefined) {
    view.transactions = {
      begin: (id: string) => count('begin', () => transactions.begin(id)),
    } satisfies FlowEventTransactions<unknown>;
  }
  return view as unknown as FlowEventStore;
}
