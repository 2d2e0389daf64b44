import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresFlowEventStore } from '../../../lib/index.js';
import { databaseUrl, postgresReady } from '../../support/database-url.js';
import { freePort } from '../../support/redis-server.js';

let pool: pg.Pool;
beforeAll(async () => {
  await postgresReady();
  pool = new pg.Pool({ connectionString: databaseUrl(), max: 4 });
}, 60_000);
afterAll(() => pool.end());

const table = (): string => `flow_events_${randomUUID().slice(0, 8)}`;

describe('PostgresFlowEventStore set-up', () => {
  it('refuses options without exactly one of pool and database, a table name that is not an identifier, and bad timeouts', () => {
    expect(() => new PostgresFlowEventStore({})).toThrow(/exactly one of `pool`/);
    expect(() => new PostgresFlowEventStore({ pool, table: 'x; DROP TABLE users' })).toThrow(
      /not a plain identifier/,
    );
    expect(() => new PostgresFlowEventStore({ pool, table: '"quoted"' })).toThrow(
      /plain identifier/,
    );
    expect(() => new PostgresFlowEventStore({ pool, lockTimeoutMs: 0 })).toThrow(/lockTimeoutMs/);
    expect(() => new PostgresFlowEventStore({ pool, timeoutMs: 1.5 })).toThrow(/timeoutMs/);
  });

  it("creates its table in the pool's own database on first use, schema-qualified when asked", async () => {
    await pool.query('CREATE SCHEMA IF NOT EXISTS flow_marks');
    const name = table();
    const store = new PostgresFlowEventStore({ pool, table: `flow_marks.${name}` });
    expect(await store.claim('whkevt_created', 't', 10_000)).toEqual({ state: 'claimed' });
    const { rows } = await pool.query(
      'SELECT table_schema FROM information_schema.tables WHERE table_name = $1',
      [name],
    );
    expect(rows).toEqual([{ table_schema: 'flow_marks' }]);
    await store.close();
  });

  it('with createTable: false, a missing table is a 503-class error that says how to create it', async () => {
    const store = new PostgresFlowEventStore({ pool, table: table(), createTable: false });
    await expect(store.claim('whkevt_x', 't', 1000)).rejects.toMatchObject({
      name: 'FlowEventStoreUnavailableError',
      message: expect.stringMatching(/does not exist.*docs\/events-and-stores\.md/) as unknown,
    });
  });

  it('close() leaves the host pool open; later calls are refused as not connected', async () => {
    const host = new pg.Pool({ connectionString: databaseUrl(), max: 2 });
    const store = new PostgresFlowEventStore({ pool: host, table: table(), transactional: true });
    expect((await store.claim('whkevt_close', 't', 1000)).state).toBe('claimed');
    await store.close();
    expect((await host.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(host.ended).toBe(false);
    await expect(store.claim('whkevt_after', 't', 1000)).rejects.toMatchObject({
      reason: 'not_connected',
    });
    await host.end();
  });

  it('an unreachable database rejects within the time budget, and no password shows in the error', async () => {
    const password = `pw-${randomUUID()}`;
    const port = await freePort();
    const down = new pg.Pool({
      connectionString: `postgres://app:${password}@127.0.0.1:${port}/app`,
    });
    down.on('error', () => undefined);
    const store = new PostgresFlowEventStore({ pool: down, table: table(), timeoutMs: 500 });
    const started = Date.now();
    const error = await store.claim('whkevt_down', 't', 1000).catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toMatchObject({ name: 'FlowEventStoreUnavailableError' });
    expect(String((error as Error).message)).not.toContain(password);
    expect(inspect(error)).not.toContain(password);
    expect(inspect(store)).not.toContain(password);
    await down.end();
  });

  it('the table SQL in docs/events-and-stores.md is the one the store runs', () => {
    const docs = readFileSync(
      new URL('../../../docs/events-and-stores.md', import.meta.url),
      'utf8',
    );
    const block = /```sql\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(block?.trim()).toBe(PostgresFlowEventStore.createTableSql());
  });
});
