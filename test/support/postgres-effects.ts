import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type DynamicModule, Module } from '@nestjs/common';
import type pg from 'pg';
import type { PoolClient } from 'pg';
import { OnFlowEvent, type FlowEventContext } from '../../lib/index.js';
import { type FlowWebhookEvent } from '../../lib/protocol/index.js';
import { HandlerProbe } from './flow-events-app.js';

/** A fresh table of effects (no unique key: a second run of a handler shows as a second row). */
export async function createEffectsTable(pool: pg.Pool): Promise<string> {
  const table = `effects_${randomUUID().slice(0, 8)}`;
  await pool.query(
    `CREATE TABLE ${table} (event_id text NOT NULL, written_at timestamptz DEFAULT now())`,
  );
  return table;
}

/** Effect rows per event id. */
export async function effectCounts(pool: pg.Pool, table: string): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ event_id: string; n: string }>(
    `SELECT event_id, count(*) AS n FROM ${table} GROUP BY event_id`,
  );
  return new Map(rows.map((row) => [row.event_id, Number(row.n)]));
}

/** What the effect handler writes to, and what it saw. */
export interface EffectsTarget {
  table: string;
  probe: HandlerProbe;
  /** Every `context.transaction` the handler received (undefined with a non-transactional store). */
  transactions: unknown[];
  /** Runs on the delivery's transaction after the effect row is written (to break it, say). */
  afterWrite?: (transaction: PoolClient) => Promise<void>;
}

const EFFECTS = Symbol('EFFECTS');

/** The host's handler: writes the event's effect row through `context.transaction`, then runs the probe. */
@Injectable()
class EffectHandler {
  constructor(@Inject(EFFECTS) private readonly target: EffectsTarget) {}

  @OnFlowEvent('flow_session.status.updated')
  async onStatus(event: FlowWebhookEvent, context: FlowEventContext<PoolClient>): Promise<void> {
    this.target.transactions.push(context.transaction);
    if (context.transaction !== undefined) {
      await context.transaction.query(`INSERT INTO ${this.target.table} (event_id) VALUES ($1)`, [
        event.id,
      ]);
      await this.target.afterWrite?.(context.transaction);
    }
    await this.target.probe.handle(event);
  }
}

@Module({})
class EffectsHostModule {}

/** A host feature module with {@link EffectHandler} writing into `target.table`. */
export function effectsModule(target: EffectsTarget): DynamicModule {
  return {
    module: EffectsHostModule,
    providers: [EffectHandler, { provide: EFFECTS, useValue: target }],
  };
}
