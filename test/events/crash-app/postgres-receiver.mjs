// A receiver instance for the PostgreSQL crash tests, run as its own process from the built
// package: the built-in receiver on a transactional PostgresFlowEventStore, and one handler that
// writes the event's effect row through context.transaction, then takes HANDLER_MS. Each run
// appends `wrote|done <event id> <pid>` to MARKS_FILE. Plain JavaScript (decorators applied as
// functions), so the child needs no build step of its own.
import 'reflect-metadata';
import { appendFileSync } from 'node:fs';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { FlowModule, OnFlowEvent, PostgresFlowEventStore } from '../../../dist/index.js';

const { FLOW_API_SECRET, DATABASE_URL, MARKS_TABLE, EFFECTS_TABLE, MARKS_FILE, HANDLER_MS } =
  process.env;
const mark = (what, id) => appendFileSync(MARKS_FILE, `${what} ${id} ${process.pid}\n`);
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
pool.on('error', () => undefined);

class EffectHandler {
  async onStatus(event, context) {
    await context.transaction.query(`INSERT INTO ${EFFECTS_TABLE} (event_id) VALUES ($1)`, [
      event.id,
    ]);
    mark('wrote', event.id);
    await new Promise((resolve) => setTimeout(resolve, Number(HANDLER_MS)));
    mark('done', event.id);
  }
}
const descriptor = Object.getOwnPropertyDescriptor(EffectHandler.prototype, 'onStatus');
OnFlowEvent('flow_session.status.updated')(EffectHandler.prototype, 'onStatus', descriptor);
Injectable()(EffectHandler);

class AppModule {}
Module({
  imports: [
    FlowModule.forRoot({
      apiSecret: FLOW_API_SECRET,
      webhook: {
        path: 'webhook_receivers/flow',
        store: new PostgresFlowEventStore({ pool, table: MARKS_TABLE, transactional: true }),
      },
    }),
  ],
  providers: [EffectHandler],
})(AppModule);

const app = await NestFactory.create(AppModule, { rawBody: true, logger: ['error', 'warn'] });
app.enableShutdownHooks();
await app.listen(0, '127.0.0.1');
process.stdout.write(`listening ${app.getHttpServer().address().port}\n`);
