import type { Pool, PoolClient } from 'pg';
import type { FlowSqlConnection, FlowSqlDatabase, FlowSqlResult } from './flow-sql-database.js';

/** What the store reads of a `pg` result. */
function result(answer: {
  rows: Record<string, unknown>[];
  rowCount: number | null;
}): FlowSqlResult {
  return { rows: answer.rows, rowCount: answer.rowCount ?? 0 };
}

/**
 * The `pg.Pool` adapter: statements on the pool, transactions on a client the pool lends.
 * Only types come from `pg`: the host's pool is the one loaded, so `pg` stays optional.
 */
export function pgDatabase(pool: Pool): FlowSqlDatabase<PoolClient> {
  return {
    query: async (text, values) => result(await pool.query(text, values as unknown[])),
    connect: async (): Promise<FlowSqlConnection<PoolClient>> => {
      const client = await pool.connect();
      // A connection that dies while the store holds it emits 'error' on the client: without a
      // listener that would crash the process; the failed statement reports it instead.
      const ignore = (): void => undefined;
      client.on('error', ignore);
      return {
        transaction: client,
        query: async (text, values) => result(await client.query(text, values as unknown[])),
        release: (broken) => {
          client.off('error', ignore);
          client.release(broken === true);
        },
      };
    },
  };
}
