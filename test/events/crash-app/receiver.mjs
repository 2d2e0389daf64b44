// A receiver instance for the crash tests, run as its own process from the built package: the
// built-in receiver on a Redis store with a short lease, and one handler that takes HANDLER_MS.
// Each handler run appends `start|done <event id> <pid>` to MARKS_FILE. Plain JavaScript (the
// decorators are applied as functions), so the child needs no build step of its own.
import 'reflect-metadata';
import { appendFileSync } from 'node:fs';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FlowModule, OnFlowEvent, RedisFlowEventStore } from '../../../dist/index.js';

const { FLOW_API_SECRET, REDIS_URL, KEY_PREFIX, MARKS_FILE, HANDLER_MS, LEASE_MS } = process.env;
const mark = (what, id) => appendFileSync(MARKS_FILE, `${what} ${id} ${process.pid}\n`);

class SlowHandler {
  async onStatus(event) {
    mark('start', event.id);
    await new Promise((resolve) => setTimeout(resolve, Number(HANDLER_MS)));
    mark('done', event.id);
  }
}
const descriptor = Object.getOwnPropertyDescriptor(SlowHandler.prototype, 'onStatus');
OnFlowEvent('flow_session.status.updated')(SlowHandler.prototype, 'onStatus', descriptor);
Injectable()(SlowHandler);

class AppModule {}
Module({
  imports: [
    FlowModule.forRoot({
      apiSecret: FLOW_API_SECRET,
      webhook: {
        path: 'webhook_receivers/flow',
        store: new RedisFlowEventStore({ url: REDIS_URL, keyPrefix: KEY_PREFIX }),
        leaseMs: Number(LEASE_MS),
      },
    }),
  ],
  providers: [SlowHandler],
})(AppModule);

const app = await NestFactory.create(AppModule, { rawBody: true, logger: ['error', 'warn'] });
app.enableShutdownHooks();
await app.listen(0, '127.0.0.1');
process.stdout.write(`listening ${app.getHttpServer().address().port}\n`);
