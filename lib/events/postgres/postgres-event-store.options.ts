import type { Pool } from 'pg';
import type { FlowSqlDatabase } from './flow-sql-database.js';

/** Options of PostgresFlowEventStore: give `pool` (node-postgres) or `database` (an adapter). */
export interface PostgresFlowEventStoreOptions<TTransaction = unknown> {
  /** The host's `pg.Pool`: the store's rows live in its database; the store never ends it. */
  pool?: Pool;
  /** An adapter to another driver or ORM (see `FlowSqlDatabase`), instead of `pool`. */
  database?: FlowSqlDatabase<TTransaction>;
  /** Table of the marks, optionally schema-qualified (`flow.flow_events`). Default `flow_events`. */
  table?: string;
  /** Create the table (and its index) on first use when missing. Default true; false for migration tools. */
  createTable?: boolean;
  /**
   * Run each delivery's handlers in one transaction with the done mark, exposed to them as
   * `context.transaction`: their writes and the mark commit together or not at all. Default false.
   */
  transactional?: boolean;
  /** Longest wait, in transactional mode, for another delivery of the same id before a 409. Default 2000. */
  lockTimeoutMs?: number;
  /** Longest wait for a connection or a statement of the store before it reports unavailable (503). Default 2000. */
  timeoutMs?: number;
  /** How often rows past their time to live are deleted (1000 at a time); 0 never. Default 60000. */
  pruneIntervalMs?: number;
}
