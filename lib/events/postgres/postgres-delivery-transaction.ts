import type { FlowDeliveryTransaction } from '../flow-event-transactions.js';
import type { FlowSqlConnection, FlowSqlResult } from './flow-sql-database.js';
import type { FlowEventSql } from './postgres-event-sql.js';

/** SQLSTATE of a statement sent after another failed in the same transaction. */
const IN_FAILED_TRANSACTION = '25P02';

/**
 * Whether PostgreSQL refused a statement for what it asked, on a healthy connection, leaving the
 * transaction open (aborted, so a rollback to the savepoint can undo the handlers' writes): one
 * sent after a failed statement, an integrity constraint (class 23), or an error a PL/pgSQL
 * trigger raised (class P0).
 */
function refused(error: unknown): boolean {
  const code = causeCode(error);
  return (
    typeof code === 'string' &&
    (code === IN_FAILED_TRANSACTION || code.startsWith('23') || code.startsWith('P0'))
  );
}
/** Name of the savepoint taken before the handlers run. */
const SAVEPOINT = 'flow_event_handlers';

/** Runs one statement of the store, bounded in time; errors reject as store errors. */
export type StoreStatement = <T>(what: string, work: () => Promise<T>) => Promise<T>;

/**
 * One delivery's transaction on a held connection: the id's row is locked, a savepoint marks
 * where the handlers' writes start, so a failure undoes them and still counts (without ever
 * letting the lock go: no other delivery of the id runs in between).
 */
export class PostgresDeliveryTransaction<
  TTransaction,
> implements FlowDeliveryTransaction<TTransaction> {
  private open = true;

  constructor(
    private readonly connection: FlowSqlConnection<TTransaction>,
    private readonly id: string,
    private readonly sql: FlowEventSql,
    private readonly statement: StoreStatement,
  ) {}

  /** {@inheritDoc FlowDeliveryTransaction.transaction} */
  get transaction(): TTransaction {
    return this.connection.transaction;
  }

  /** Takes the savepoint the handlers' writes start after. */
  async start(): Promise<void> {
    await this.run('savepoint', `SAVEPOINT ${SAVEPOINT}`);
  }

  /** {@inheritDoc FlowDeliveryTransaction.commit} */
  async commit(doneTtlMs: number): Promise<boolean> {
    try {
      await this.run('done mark', this.sql.markLocked, [this.id, doneTtlMs]);
      // Deferred constraints are checked before COMMIT, in the same round trip: a refusal there
      // leaves the transaction open, so the writes are undone and the attempt counted as when a
      // handler throws. Refused by COMMIT itself, it would end the transaction and the count with
      // it, and every retry would fail the same way without ever reaching maxAttempts.
      await this.run('commit', 'SET CONSTRAINTS ALL IMMEDIATE; COMMIT');
    } catch (error) {
      if (refused(error)) return false;
      throw error;
    }
    this.finish(false);
    return true;
  }

  /** {@inheritDoc FlowDeliveryTransaction.fail} */
  async fail(retainMs: number): Promise<number> {
    await this.run('rollback to savepoint', `ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    const { rows } = await this.run('failure count', this.sql.failLocked, [this.id, retainMs]);
    return Number(rows[0]?.failures);
  }

  /** {@inheritDoc FlowDeliveryTransaction.end} */
  async end(): Promise<void> {
    await this.run('commit', 'COMMIT');
    this.finish(false);
  }

  /** {@inheritDoc FlowDeliveryTransaction.abort} */
  async abort(): Promise<void> {
    if (!this.open) return;
    try {
      await this.run('rollback', 'ROLLBACK');
      this.finish(false);
    } catch {
      this.finish(true);
    }
  }

  private async run(what: string, text: string, values?: unknown[]): Promise<FlowSqlResult> {
    try {
      return await this.statement(what, () => this.connection.query(text, values));
    } catch (error) {
      if (!refused(error)) this.finish(true);
      throw error;
    }
  }

  /** Gives the connection back once; a broken one is dropped (PostgreSQL aborts its transaction). */
  private finish(broken: boolean): void {
    if (!this.open) return;
    this.open = false;
    this.connection.release(broken);
  }
}

/** The SQLSTATE behind a store error (or of the error itself). */
function causeCode(error: unknown): unknown {
  const own = (error as { code?: unknown })?.code;
  return typeof own === 'string' && /^[0-9A-Z]{5}$/.test(own)
    ? own
    : (error as { cause?: { code?: unknown } })?.cause?.code;
}
