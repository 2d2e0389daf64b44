import { FlowEventStoreUnavailableError } from '../flow-event-store.error.js';

/** SQLSTATEs of a lock wait that ran out, and of a concurrent CREATE TABLE IF NOT EXISTS. */
const LOCK_NOT_AVAILABLE = '55P03';
const ALREADY_CREATED: ReadonlySet<string> = new Set(['23505', '42P07']);

/** The SQLSTATE of a database error, or of the one a store error wraps. */
function sqlState(error: unknown): unknown {
  return (error as { code?: unknown })?.code === 'flow_event_store_unavailable'
    ? (error as { cause?: { code?: unknown } }).cause?.code
    : (error as { code?: unknown })?.code;
}

/** True when `error` is a lock wait that ran out (`lock_timeout`). */
export function lockNotAvailable(error: unknown): boolean {
  return sqlState(error) === LOCK_NOT_AVAILABLE;
}

/** True when `error` says another instance created the table (or its index) first. */
export function alreadyCreated(error: unknown): boolean {
  return ALREADY_CREATED.has(String(sqlState(error)));
}

/** SQLSTATE of a relation that does not exist. */
const UNDEFINED_TABLE = '42P01';

/** The store error for a failed database call; the message names the cause, never a password. */
export function unavailable(
  what: string,
  error: unknown,
  table: string,
): FlowEventStoreUnavailableError {
  if (error instanceof FlowEventStoreUnavailableError) return error;
  const code = (error as { code?: unknown })?.code;
  const message = (error as Error)?.message ?? String(error);
  if (code === UNDEFINED_TABLE) {
    return new FlowEventStoreUnavailableError(
      'command_failed',
      `PostgreSQL ${what} failed: table ${table} does not exist. Create it with the SQL in ` +
        'docs/events-and-stores.md, or leave createTable on.',
      { cause: error },
    );
  }
  // A SQLSTATE outside class 08 means the server answered; a system code (ECONNREFUSED…) or a
  // connection-class SQLSTATE means it could not be reached.
  const answered = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08');
  const reason = answered ? 'command_failed' : 'not_connected';
  return new FlowEventStoreUnavailableError(reason, `PostgreSQL ${what} failed: ${message}`, {
    cause: error,
  });
}

/** Rejects with a `timeout` store error when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new FlowEventStoreUnavailableError(
            'timeout',
            `PostgreSQL ${what} got no answer within ${ms} ms.`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
