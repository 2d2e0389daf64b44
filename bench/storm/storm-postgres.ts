import pg from 'pg';
import { PostgresServer } from '../../test/support/postgres-server.js';
import { STORM_EFFECTS_TABLE } from './storm-app.js';

/** The storm's own PostgreSQL (durable: default fsync and synchronous commit) and a pool on it. */
export interface BenchPostgres {
  /** `postgres://…` for the instances. */
  url: string;
  /** Effect rows per event id. */
  effects(): Promise<Map<string, number>>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** Starts PostgreSQL with the effects table, or resolves with why it could not. */
export async function startBenchPostgres(): Promise<BenchPostgres | { unavailable: string }> {
  let server: PostgresServer;
  try {
    server = await PostgresServer.start({ durable: true });
  } catch (error) {
    return { unavailable: (error as Error).message.split('\n')[0] };
  }
  const pool = new pg.Pool({ connectionString: server.url, max: 2 });
  pool.on('error', () => undefined);
  // No unique key: a second run of a handler would show as a second row.
  await pool.query(`CREATE TABLE ${STORM_EFFECTS_TABLE} (event_id text NOT NULL)`);
  return {
    url: server.url,
    async effects() {
      const { rows } = await pool.query<{ event_id: string; n: string }>(
        `SELECT event_id, count(*) AS n FROM ${STORM_EFFECTS_TABLE} GROUP BY event_id`,
      );
      return new Map(rows.map((row) => [row.event_id, Number(row.n)]));
    },
    async stop() {
      await pool.end();
      await server.dispose();
    },
  };
}

/** Throws unless every expected id has exactly one effect row and no other id has any. */
export function assertEffectsOnce(
  effects: Map<string, number>,
  expected: Set<string>,
  label: string,
): void {
  const wrong = [...expected].filter((id) => effects.get(id) !== 1);
  const stray = [...effects.keys()].filter((id) => !expected.has(id));
  if (wrong.length > 0 || stray.length > 0) {
    throw new Error(
      `${label}: effect rows not exactly once: ${wrong.length} ids without exactly one row ` +
        `(${wrong.slice(0, 3).join(', ')}), ${stray.length} unexpected`,
    );
  }
}
