import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OnFlowEvent,
  PostgresFlowEventStore,
  typeOrmDatabase,
  type FlowEventContext,
  type FlowWebhookEvent,
} from '../../../lib/index.js';
import { databaseUrl, postgresReady } from '../../support/database-url.js';
import {
  EVENT_PLATFORMS,
  deliver,
  flowEvent,
  startFlowApp,
  type RunningFlowApp,
} from '../../support/flow-events-app.js';
import { generateSecret } from '../../support/test-secrets.js';

let dataSource: DataSource;
beforeAll(async () => {
  await postgresReady();
  dataSource = new DataSource({ type: 'postgres', url: databaseUrl(), poolSize: 8 });
  await dataSource.initialize();
}, 60_000);
afterAll(() => dataSource.destroy());

/** What the handler writes to and is told to do. */
interface TypeOrmTarget {
  table: string;
  managers: unknown[];
  failFor?: string;
}
const TARGET = Symbol('TARGET');

@Injectable()
class TypeOrmEffectHandler {
  constructor(@Inject(TARGET) private readonly target: TypeOrmTarget) {}

  @OnFlowEvent('flow_session.status.updated')
  async onStatus(event: FlowWebhookEvent, context: FlowEventContext<EntityManager>): Promise<void> {
    this.target.managers.push(context.transaction);
    await context.transaction.query(`INSERT INTO ${this.target.table} (event_id) VALUES ($1)`, [
      event.id,
    ]);
    if (event.id === this.target.failFor) throw new Error('failed after writing');
  }
}

@Module({})
class TypeOrmHostModule {}
function typeOrmHandlers(target: TypeOrmTarget): DynamicModule {
  return {
    module: TypeOrmHostModule,
    providers: [TypeOrmEffectHandler, { provide: TARGET, useValue: target }],
  };
}

async function rows(table: string, id: string): Promise<number> {
  const found = await dataSource.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM ${table} WHERE event_id = $1`,
    [id],
  );
  return found[0].n;
}

describe.each(EVENT_PLATFORMS)(
  'PostgresFlowEventStore on TypeORM, transactional (%s)',
  (platform) => {
    const secret = generateSecret();
    const target: TypeOrmTarget = { table: `effects_${randomUUID().slice(0, 8)}`, managers: [] };
    let running: RunningFlowApp;

    beforeAll(async () => {
      await dataSource.query(`CREATE TABLE ${target.table} (event_id text NOT NULL)`);
      running = await startFlowApp({
        platform,
        secret,
        webhook: {
          store: new PostgresFlowEventStore({
            database: typeOrmDatabase(dataSource),
            table: `flow_events_${randomUUID().slice(0, 8)}`,
            transactional: true,
          }),
        },
        hostModules: [typeOrmHandlers(target)],
      });
    });
    afterAll(() => running.app.close());

    it('hands handlers an EntityManager in the delivery transaction: one effect row, then a duplicate', async () => {
      const id = `whkevt_${randomUUID().slice(0, 12)}`;
      const first = await deliver(running.baseUrl, secret, flowEvent(id));
      expect([first.status, JSON.parse(first.body)]).toEqual([200, { outcome: 'processed' }]);
      expect(target.managers.at(-1)).toBeInstanceOf(EntityManager);
      expect(target.managers.at(-1)).not.toBe(dataSource.manager);
      const again = await deliver(running.baseUrl, secret, flowEvent(id));
      expect(JSON.parse(again.body)).toEqual({ outcome: 'duplicate' });
      expect(await rows(target.table, id)).toBe(1);
    });

    it("rolls the EntityManager's write back when the handler throws (500), and the retry writes it once", async () => {
      const id = `whkevt_${randomUUID().slice(0, 12)}`;
      target.failFor = id;
      const failed = await deliver(running.baseUrl, secret, flowEvent(id));
      expect(failed.status).toBe(500);
      expect(await rows(target.table, id)).toBe(0);
      target.failFor = undefined;
      const retry = await deliver(running.baseUrl, secret, flowEvent(id));
      expect(JSON.parse(retry.body)).toEqual({ outcome: 'processed' });
      expect(await rows(target.table, id)).toBe(1);
    });
  },
);
