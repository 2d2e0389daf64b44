import type { FlowEventStore } from './flow-event-store.interface.js';

/**
 * One delivery's database transaction, opened by a transactional store with the event id's row
 * locked: the handlers write through `transaction`, and the done mark commits with their writes
 * or not at all. Every method that ends the transaction also gives its connection back.
 */
export interface FlowDeliveryTransaction<TTransaction> {
  /** What the handlers receive as `context.transaction` (a `pg` client, an EntityManager…). */
  readonly transaction: TTransaction;
  /**
   * Writes the done mark (kept `doneTtlMs`) and commits. False, with nothing committed and the
   * transaction still open, when a statement of a handler failed or the handlers' writes break a
   * deferred constraint (the database refuses to commit them): treat it as a failed attempt.
   */
  commit(doneTtlMs: number): Promise<boolean>;
  /**
   * Undoes every write of the handlers, keeps the row lock and adds one failed attempt (kept
   * `retainMs` after the last one); the new count. The transaction stays open.
   */
  fail(retainMs: number): Promise<number>;
  /** Commits the failure count without a done mark and frees the id for the retry. */
  end(): Promise<void>;
  /** Rolls everything back and frees the id (the connection is dropped when it may be broken). */
  abort(): Promise<void>;
}

/**
 * What {@link FlowEventTransactions.begin} found: the id is done, locked by another delivery
 * past the bounded wait (`busy`), or now held by this transaction.
 */
export type FlowTransactionBegin<TTransaction> =
  | { readonly state: 'done' }
  | { readonly state: 'busy'; readonly retryAfterMs: number }
  | { readonly state: 'claimed'; readonly delivery: FlowDeliveryTransaction<TTransaction> };

/** A store's transactional mode: each delivery runs in one transaction holding its id's row lock. */
export interface FlowEventTransactions<TTransaction> {
  /**
   * Opens a transaction on one connection and locks `id`'s row, waiting a bounded time for a
   * delivery of the same id that holds it. Rejects (503) when the database cannot be reached.
   */
  begin(id: string): Promise<FlowTransactionBegin<TTransaction>>;
}

/** A store in transactional mode: the dispatcher runs each delivery in one of its transactions. */
export interface FlowTransactionalEventStore<TTransaction> extends FlowEventStore {
  /** The transactional mode's entry point. */
  readonly transactions: FlowEventTransactions<TTransaction>;
}

/** True when `store` runs deliveries in transactions (e.g. PostgresFlowEventStore with `transactional: true`). */
export function isTransactionalStore(
  store: FlowEventStore,
): store is FlowTransactionalEventStore<unknown> {
  return (store as Partial<FlowTransactionalEventStore<unknown>>).transactions !== undefined;
}
