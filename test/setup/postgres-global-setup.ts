import type { TestProject } from 'vitest/node';
import { PostgresServer } from '../support/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the PostgreSQL the suite shares (read it with `databaseUrl()` from test/support/database-url.ts). */
    flowDatabaseUrl: string;
  }
}

/**
 * Starts one real PostgreSQL for the whole suite, unless FLOW_TEST_DATABASE_URL already names
 * one, and hands its URL to the test files (`inject('flowDatabaseUrl')`, and
 * FLOW_TEST_DATABASE_URL for child processes). The cluster is made in the background: runs that
 * never touch PostgreSQL do not wait for it, and files that do wait with `postgresReady()`.
 * A missing PostgreSQL fails those files with how to install it.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const given = process.env.FLOW_TEST_DATABASE_URL;
  if (given) {
    project.provide('flowDatabaseUrl', given);
    return;
  }
  let server: PostgresServer;
  try {
    server = await PostgresServer.create();
  } catch (error) {
    // Reported by the files that need PostgreSQL, not by every run of the suite.
    project.provide('flowDatabaseUrl', `missing:${(error as Error).message}`);
    return;
  }
  const booting = server.init().then(() => server.start());
  booting.catch(() => undefined);
  process.env.FLOW_TEST_DATABASE_URL = server.url;
  project.provide('flowDatabaseUrl', server.url);
  return async () => {
    await booting.catch(() => undefined);
    await server.dispose();
  };
}
