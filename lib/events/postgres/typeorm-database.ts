import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { FlowSqlDatabase, FlowSqlResult } from './flow-sql-database.js';

/** One statement on a query runner, with TypeORM's structured result (rows and count alike). */
async function run(
  runner: QueryRunner,
  text: string,
  values?: readonly unknown[],
): Promise<FlowSqlResult> {
  const { records, affected } = await runner.query(text, values as unknown[] | undefined, true);
  const rows = records as Record<string, unknown>[];
  return { rows, rowCount: affected ?? rows.length };
}

/**
 * The TypeORM adapter (a `DataSource` on PostgreSQL, e.g. the one `@nestjs/typeorm` provides):
 * handlers receive, as `context.transaction`, the `EntityManager` of the delivery's query runner,
 * so `manager.save(…)`, repositories from `manager.getRepository(…)` and `manager.query(…)` all
 * run in the delivery's transaction. Only types come from `typeorm`: it stays an optional peer.
 */
export function typeOrmDatabase(dataSource: DataSource): FlowSqlDatabase<EntityManager> {
  return {
    query: async (text, values) => {
      const runner = dataSource.createQueryRunner();
      try {
        return await run(runner, text, values);
      } finally {
        await runner.release();
      }
    },
    connect: async () => {
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      return {
        transaction: runner.manager,
        query: (text, values) => run(runner, text, values),
        // TypeORM cannot drop a connection: one left in an unknown state is rolled back first
        // (after any statement still running on it), so the pool never lends an open transaction.
        release: (broken) =>
          void (broken ? runner.query('ROLLBACK') : Promise.resolve())
            .catch(() => undefined)
            .finally(() => runner.release().catch(() => undefined)),
      };
    },
  };
}
