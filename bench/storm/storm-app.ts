import { setTimeout as sleep } from 'node:timers/promises';
import { Body, Controller, HttpCode, Injectable, Module, Post, type Type } from '@nestjs/common';
import {
  FlowModule,
  OnFlowEvent,
  type FlowEventContext,
  type FlowEventStore,
  type FlowWebhookEvent,
} from '../../lib/index.js';
import type { PoolClient } from 'pg';
import { BENCH_KEY_ID, BENCH_SECRET } from '../support/deliveries.js';

/** Routes of the storm app, as the load requests them (the sample's layout). */
export const STORM_ROUTES = {
  /** The module's receiver, outside the global prefix as in the sample. */
  receiver: '/webhook_receivers/flow',
  /** The floor: a bare POST under the global prefix, same raw-body JSON parsing. */
  bare: '/api/bare/webhook',
} as const;

/** The global prefix of the sample app. */
export const STORM_PREFIX = 'api';

/** How long the storm's handler works on each event, in ms (a database write, say). */
export const STORM_HANDLER_MS = 2;

/** The effects table of the PostgreSQL storm: one row per handler run, written in its transaction. */
export const STORM_EFFECTS_TABLE = 'storm_effects';

/** Every handler run of this instance, by event id: the parent checks that each id ran once in all. */
@Injectable()
export class StormRuns {
  readonly counts = new Map<string, number>();
  bare = 0;
}

/** The storm's handler: counts the run (and writes its effect row on PostgreSQL), then takes {@link STORM_HANDLER_MS} as a real one would. */
@Injectable()
class StormEventHandler {
  constructor(private readonly runs: StormRuns) {}

  @OnFlowEvent('flow_session.status.updated')
  async onStatus(event: FlowWebhookEvent, context: FlowEventContext<PoolClient>): Promise<void> {
    this.runs.counts.set(event.id, (this.runs.counts.get(event.id) ?? 0) + 1);
    // On a transactional store the effect commits with the done mark: the row the bench counts.
    await context.transaction?.query(`INSERT INTO ${STORM_EFFECTS_TABLE} (event_id) VALUES ($1)`, [
      event.id,
    ]);
    await sleep(STORM_HANDLER_MS);
  }
}

/** The floor of the storm: a bare POST that parses the same JSON and does nothing else. */
@Controller()
class StormBareController {
  constructor(private readonly runs: StormRuns) {}

  @Post(STORM_ROUTES.bare.slice(STORM_PREFIX.length + 2))
  @HttpCode(200)
  receive(@Body() body: { id?: unknown }): { outcome: string } {
    if (typeof body?.id === 'string') this.runs.bare++;
    return { outcome: 'processed' };
  }
}

/**
 * A sample-shaped instance: FlowModule's receiver on `store` (default: the memory store) with an
 * `@OnFlowEvent` handler that awaits {@link STORM_HANDLER_MS}, and a bare POST as the floor.
 * The server child adds the sample's global prefix and Express settings.
 */
export function stormBenchModule(store: FlowEventStore | undefined): Type {
  @Module({
    imports: [
      FlowModule.forRoot({
        apiSecret: BENCH_SECRET,
        apiKey: BENCH_KEY_ID,
        webhook: { path: STORM_ROUTES.receiver.slice(1), store },
      }),
    ],
    controllers: [StormBareController],
    providers: [StormRuns, StormEventHandler],
  })
  class StormBenchModule {}
  return StormBenchModule;
}
