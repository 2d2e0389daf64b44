import type { PoolClient } from 'pg';
import { FlowEventStoreUnavailableError } from '../flow-event-store.error.js';
import type { FlowClaimResult, FlowEventStore } from '../flow-event-store.interface.js';
import type { FlowEventTransactions, FlowTransactionBegin } from '../flow-event-transactions.js';
import type { FlowSqlDatabase, FlowSqlResult } from './flow-sql-database.js';
import { pgDatabase } from './pg-database.js';
import { beginDelivery } from './postgres-delivery-begin.js';
import { DEFAULT_FLOW_EVENT_TABLE, flowEventSql, type FlowEventSql } from './postgres-event-sql.js';
import type { PostgresFlowEventStoreOptions } from './postgres-event-store.options.js';
import { alreadyCreated, unavailable, withTimeout } from './postgres-store-errors.js';

/**
 * The store on the host's PostgreSQL (node-postgres `pg.Pool`, or an ORM through a
 * `FlowSqlDatabase` adapter): a drop-in for the Redis store, whose marks live in the same
 * database as the app's data. With `transactional: true` the dispatcher runs each delivery's
 * handlers in one transaction holding the event id's row lock, exposed as `context.transaction`,
 * and commits the done mark with their writes. `pg` is an optional peer: only its types are
 * imported, the host passes its own pool.
 */
export class PostgresFlowEventStore<TTransaction = PoolClient> implements FlowEventStore {
  /** Transactional mode's entry point; undefined unless `transactional: true`. */
  readonly transactions: FlowEventTransactions<TTransaction> | undefined;
  private readonly database: FlowSqlDatabase<TTransaction>;
  private readonly sql: FlowEventSql;
  private readonly table: string;
  private readonly timeoutMs: number;
  private readonly lockTimeoutMs: number;
  private ready: Promise<void> | undefined;
  private pruner: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: PostgresFlowEventStoreOptions<TTransaction>) {
    if (!options || (options.pool === undefined) === (options.database === undefined)) {
      throw new TypeError(
        'PostgresFlowEventStore needs exactly one of `pool` (your pg.Pool) or `database` (an adapter).',
      );
    }
    this.table = options.table ?? DEFAULT_FLOW_EVENT_TABLE;
    this.sql = flowEventSql(this.table);
    this.timeoutMs = positive(options.timeoutMs, 2000, 'timeoutMs');
    this.lockTimeoutMs = positive(options.lockTimeoutMs, 2000, 'lockTimeoutMs');
    positive(options.pruneIntervalMs, 60_000, 'pruneIntervalMs', true);
    this.database =
      options.database ?? (pgDatabase(options.pool!) as unknown as FlowSqlDatabase<TTransaction>);
    this.transactions =
      options.transactional === true ? { begin: (id) => this.begin(id) } : undefined;
    if (options.createTable === false) this.ready = Promise.resolve();
  }

  /** The statements that create the table and its index, for migration tools. */
  static createTableSql(table: string = DEFAULT_FLOW_EVENT_TABLE): string {
    return flowEventSql(table)
      .create.map((statement) => `${statement};`)
      .join('\n');
  }

  /** {@inheritDoc FlowEventStore.claim} */
  async claim(id: string, token: string, leaseMs: number): Promise<FlowClaimResult> {
    for (let attempt = 0; ; attempt += 1) {
      const { rows } = await this.query('claim', this.sql.claim, [id, token, leaseMs]);
      const row = rows[0] ?? {};
      if (row.claimed === true) return { state: 'claimed' };
      if (row.state === 'done') return { state: 'done' };
      if (row.state === 'claimed')
        return { state: 'busy', retryAfterMs: Math.max(1, Number(row.left_ms)) };
      // A row committed by another claim after this statement's snapshot: read it again.
      if (attempt === 1) return { state: 'busy', retryAfterMs: leaseMs };
    }
  }

  /** {@inheritDoc FlowEventStore.renew} */
  async renew(id: string, token: string, leaseMs: number): Promise<boolean> {
    return (await this.query('renew', this.sql.renew, [id, token, leaseMs])).rowCount === 1;
  }

  /** {@inheritDoc FlowEventStore.complete} */
  async complete(id: string, token: string, doneTtlMs: number): Promise<boolean> {
    return (await this.query('complete', this.sql.complete, [id, token, doneTtlMs])).rowCount === 1;
  }

  /** {@inheritDoc FlowEventStore.release} */
  async release(id: string, token: string): Promise<boolean> {
    return (await this.query('release', this.sql.release, [id, token])).rowCount === 1;
  }

  /** {@inheritDoc FlowEventStore.recordFailure} */
  async recordFailure(id: string, token: string, retainMs: number): Promise<number | null> {
    const { rows } = await this.query('recordFailure', this.sql.recordFailure, [
      id,
      token,
      retainMs,
    ]);
    return rows.length === 1 ? Number(rows[0].failures) : null;
  }

  /** {@inheritDoc FlowEventStore.markDone} */
  async markDone(id: string, doneTtlMs: number): Promise<boolean> {
    return (await this.query('markDone', this.sql.markDone, [id, doneTtlMs])).rowCount === 1;
  }

  /**
   * A `SELECT 1` within `timeoutMs`, rejecting with the store error; it neither creates the
   * table nor starts pruning.
   */
  async ping(): Promise<void> {
    await this.statement('ping', () => this.database.query('SELECT 1'));
  }

  /** Stops pruning and refuses later calls; the host's pool (or database) stays open. */
  close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pruner);
    this.pruner = undefined;
    return Promise.resolve();
  }

  /** Transactional mode: a transaction on one connection holding `id`'s row lock. */
  private async begin(id: string): Promise<FlowTransactionBegin<TTransaction>> {
    await this.prepare();
    return beginDelivery(this.database, this.sql, this.statement, id, this.lockTimeoutMs);
  }

  /** Runs one statement on the pool, after the table is ready. */
  private async query(what: string, text: string, values: unknown[]): Promise<FlowSqlResult> {
    await this.prepare();
    return this.statement(what, () => this.database.query(text, values));
  }

  /** Bounds a database call in time and turns its failure into a store error (503). */
  private readonly statement = async <T>(
    what: string,
    work: () => Promise<T>,
    extraMs = 0,
  ): Promise<T> => {
    if (this.closed) {
      throw new FlowEventStoreUnavailableError(
        'not_connected',
        'The event store was closed (the application is shutting down).',
      );
    }
    const started = work();
    try {
      return await withTimeout(started, this.timeoutMs + extraMs, what);
    } catch (error) {
      if (what === 'connect') {
        // A connection that arrives after the wait gave up goes back to the pool.
        void started.then(
          (late) => (late as { release?: () => void })?.release?.(),
          () => undefined,
        );
      }
      throw unavailable(what, error, this.table);
    }
  };

  /** Creates the table once (unless `createTable: false`) and starts pruning. */
  private prepare(): Promise<void> {
    if (this.ready === undefined) {
      const creating = this.createTable();
      creating.catch(() => (this.ready = undefined));
      this.ready = creating;
    }
    if (this.pruner === undefined && !this.closed) this.startPruning();
    return this.ready;
  }

  private async createTable(): Promise<void> {
    for (const statement of this.sql.create) {
      await this.statement('create table', () =>
        this.database.query(statement).catch((error: unknown) => {
          // Two instances creating the table at once: the loser's error means it exists.
          if (!alreadyCreated(error)) throw error;
          return { rows: [], rowCount: 0 };
        }),
      );
    }
  }

  private startPruning(): void {
    const every = this.options.pruneIntervalMs ?? 60_000;
    if (every === 0) return;
    this.pruner = setInterval(() => {
      this.database.query(this.sql.prune).catch(() => undefined);
    }, every);
    this.pruner.unref();
  }
}

/** A whole number of milliseconds from the options, or a start-up error that says what to pass. */
function positive(value: number | undefined, fallback: number, name: string, zero = false): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < (zero ? 0 : 1)) {
    throw new TypeError(
      `PostgresFlowEventStore: ${name} must be a whole number of milliseconds${zero ? ' (0 or more)' : ' above 0'}.`,
    );
  }
  return value;
}
