import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { inject } from 'vitest';

/** URL of the suite's PostgreSQL, started by test/setup/postgres-global-setup.ts (never absent: no skip). */
export function databaseUrl(): string {
  const url = inject('flowDatabaseUrl') ?? process.env.FLOW_TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      'No database URL: run the tests through vitest.config.ts, whose global setup starts PostgreSQL.',
    );
  if (url.startsWith('missing:')) throw new Error(url.slice('missing:'.length));
  return url;
}

/** Resolves once the suite's PostgreSQL (made in the background) accepts a query; its URL. */
export async function postgresReady(timeoutMs = 60_000): Promise<string> {
  const url = databaseUrl();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return url;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`PostgreSQL at ${url} not ready: ${String(error)}`, { cause: error });
      await sleep(100);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
