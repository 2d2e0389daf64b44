/** A row as a driver returns it: column name to value. */
export type FlowSqlRow = Record<string, unknown>;

/** What a statement returned: its rows and how many rows it wrote or read. */
export interface FlowSqlResult {
  /** The rows of a SELECT or a RETURNING clause. */
  readonly rows: FlowSqlRow[];
  /** Rows written (INSERT, UPDATE, DELETE) or returned. */
  readonly rowCount: number;
}

/**
 * One connection, held by the store for one delivery's transaction. `query` runs PostgreSQL
 * text with `$1…` placeholders; a failed statement rejects with the driver's error, whose
 * `code` is PostgreSQL's SQLSTATE when the server answered.
 */
export interface FlowSqlConnection<TTransaction> {
  /** Runs one statement on this connection. */
  query(text: string, values?: readonly unknown[]): Promise<FlowSqlResult>;
  /** What the handlers receive as `context.transaction`: the ORM's handle on this connection. */
  readonly transaction: TTransaction;
  /** Gives the connection back; `broken` drops it instead (its state is unknown). */
  release(broken?: boolean): void;
}

/**
 * The adapter contract of PostgresFlowEventStore: how it reaches the host's PostgreSQL. The
 * store never creates nor closes the database behind it. `pgDatabase(pool)` adapts a `pg.Pool`;
 * an ORM adapts its own pool in a few lines (see docs/events-and-stores.md).
 */
export interface FlowSqlDatabase<TTransaction> {
  /** Runs one statement on any connection, outside any transaction. */
  query(text: string, values?: readonly unknown[]): Promise<FlowSqlResult>;
  /** Takes one connection for a transaction; the store releases it. */
  connect(): Promise<FlowSqlConnection<TTransaction>>;
}
