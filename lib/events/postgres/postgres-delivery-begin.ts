import type { FlowTransactionBegin } from '../flow-event-transactions.js';
import type { FlowSqlDatabase } from './flow-sql-database.js';
import { PostgresDeliveryTransaction } from './postgres-delivery-transaction.js';
import type { FlowEventSql } from './postgres-event-sql.js';
import { lockNotAvailable } from './postgres-store-errors.js';

/** The store's bounded statement runner; `extraMs` lengthens its time limit. */
export type BoundedStatement = <T>(
  what: string,
  work: () => Promise<T>,
  extraMs?: number,
) => Promise<T>;

/**
 * Transactional mode: opens a transaction on one connection and takes `id`'s row lock, waiting at
 * most `lockTimeoutMs`. Busy or done when another delivery holds or finished the id.
 */
export async function beginDelivery<TTransaction>(
  database: FlowSqlDatabase<TTransaction>,
  sql: FlowEventSql,
  statement: BoundedStatement,
  id: string,
  lockTimeoutMs: number,
): Promise<FlowTransactionBegin<TTransaction>> {
  const connection = await statement('connect', () => database.connect());
  const delivery = new PostgresDeliveryTransaction(connection, id, sql, statement);
  let row;
  try {
    // Inline number: validated at construction, and SET takes no parameters.
    await statement('begin', () =>
      connection.query(`BEGIN; SET LOCAL lock_timeout = ${lockTimeoutMs}`),
    );
    ({
      rows: [row],
    } = await statement('lock', () => connection.query(sql.lock, [id]), lockTimeoutMs));
  } catch (error) {
    await delivery.abort();
    if (lockNotAvailable(error)) return { state: 'busy', retryAfterMs: lockTimeoutMs };
    throw error;
  }
  if (row?.live === true && row.state !== 'free') {
    await delivery.abort();
    return row.state === 'done'
      ? { state: 'done' }
      : { state: 'busy', retryAfterMs: Math.max(1, Number(row.left_ms)) };
  }
  try {
    await delivery.start();
  } catch (error) {
    await delivery.abort();
    throw error;
  }
  return { state: 'claimed', delivery };
}
