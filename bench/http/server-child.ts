// A bench app in its own process: the load generator (autocannon, in the parent) and the server
// each get a core. Speaks to the parent over IPC: `ready`, `stats`, `memory`, `stop`.
import 'reflect-metadata';
import type { AddressInfo, Server } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FLOW_EVENT_STORE, RedisFlowEventStore, type FlowEventStore } from '../../lib/index.js';
import { BenchCounters, receiverBenchModule, signatureBenchModule } from './bench-apps.js';
import type { ServerRequest, ServerSpec } from './server-spec.js';

const spec = JSON.parse(process.argv[2]) as ServerSpec;
const send = (message: object) => process.send?.(message);

async function start(): Promise<INestApplication> {
  // Without a store the module makes its default one: the bounded memory store.
  const store =
    spec.store === 'redis' ? new RedisFlowEventStore({ url: spec.redisUrl }) : undefined;
  const module = spec.app === 'signature' ? signatureBenchModule() : receiverBenchModule(store);
  // Only the adapter in use is loaded: a server starts faster without the other platform.
  const adapter =
    spec.platform === 'fastify'
      ? new (await import('@nestjs/platform-fastify')).FastifyAdapter()
      : new (await import('@nestjs/platform-express')).ExpressAdapter();
  const app = await NestFactory.create(module, adapter, { logger: false, rawBody: true });
  await app.listen(0, '127.0.0.1');
  if (spec.prefillIds) {
    // The store at its cap before the load, so the RSS figure shows the steady state.
    const eventStore = app.get<FlowEventStore>(FLOW_EVENT_STORE);
    for (let i = 0; i < spec.prefillIds; i++) {
      const id = `whkevt_prefill${i}`;
      await eventStore.claim(id, 'prefill', 30_000);
      await eventStore.complete(id, 'prefill', 7 * 24 * 3600 * 1000);
    }
  }
  return app;
}

start().then(
  (app) => {
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    send({ type: 'ready', port });
    process.on('message', (message: ServerRequest) => {
      if (message.type === 'stats') {
        const counters = app.get(BenchCounters);
        send({
          type: 'stats',
          received: counters.received,
          verified: counters.verified,
          bare: counters.bare,
        });
      } else if (message.type === 'memory') {
        if (message.gc) (globalThis as { gc?: () => void }).gc?.();
        send({ type: 'memory', ...process.memoryUsage() });
      } else if (message.type === 'cpu') {
        const usage = process.cpuUsage();
        send({ type: 'cpu', micros: usage.user + usage.system });
      } else if (message.type === 'stop') {
        void app.close().finally(() => process.exit(0));
      }
    });
  },
  (error: unknown) => {
    send({ type: 'error', message: (error as Error)?.stack ?? String(error) });
    process.exit(1);
  },
);
