import pg from 'pg';
import {
  PostgresFlowEventStore,
  RedisFlowEventStore,
  type FlowEventStore,
} from '../../lib/index.js';

/**
 * The webhook event store: PostgreSQL when `DATABASE_URL` is set (transactional: a handler's
 * writes through `context.transaction` commit with the event's done mark), else Redis when
 * `REDIS_URL` is set, so several instances process each event once between them; otherwise
 * undefined, and FlowModule uses its bounded in-memory store. FlowModule closes the store when
 * the app shuts down; the pool is the app's (idle, it lets the process exit).
 */
export function createEventStore(urls: {
  databaseUrl?: string;
  redisUrl?: string;
}): FlowEventStore | undefined {
  if (urls.databaseUrl !== undefined) {
    const pool = new pg.Pool({ connectionString: urls.databaseUrl, allowExitOnIdle: true });
    // node-postgres reports a dropped idle connection here; the store answers 503 meanwhile.
    pool.on('error', () => undefined);
    return new PostgresFlowEventStore({ pool, transactional: true });
  }
  return urls.redisUrl === undefined ? undefined : new RedisFlowEventStore({ url: urls.redisUrl });
}
