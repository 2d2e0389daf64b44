// A bench app in its own process: the load generator (autocannon, in the parent) and the server
// each get a core. Speaks to the parent over IPC: `ready`, `stats`, `memory`, `stop`.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { RequestMethod, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FLOW_EVENT_STORE } from '../../lib/events/events.constants.js';
import {
  FlowEventDispatcher,
  FlowSigner,
  PostgresFlowEventStore,
  RedisFlowEventStore,
  type FlowEventStore,
} from '../../lib/index.js';
import { type FlowWebhookEvent } from '../../lib/protocol/index.js';
import { STORM_PREFIX, STORM_ROUTES, StormRuns, stormBenchModule } from '../storm/storm-app.js';
import { BenchCounters, receiverBenchModule, signatureBenchModule } from './bench-apps.js';
import { calibrate, calibrateDispatch } from './calibrate.js';
import { EXAMPLE_WEBHOOK } from '../../test/fixtures/flow-protocol.js';
import type { ServerRequest, ServerSpec } from './server-spec.js';
import { registerBenchSdk } from '../telemetry/bench-sdk.js';

const spec = JSON.parse(process.argv[2]) as ServerSpec;
const send = (message: object) => process.send?.(message);

/** The transactional PostgreSQL store on a pool of this process (pg loaded only here). */
async function postgresStore(url: string): Promise<FlowEventStore> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 40 });
  pool.on('error', () => undefined);
  return new PostgresFlowEventStore({ pool, transactional: true });
}

/** The platform's adapter; only the one in use is loaded (a server starts faster). */
async function adapterFor(platform: ServerSpec['platform']) {
  return platform === 'fastify'
    ? new (await import('@nestjs/platform-fastify')).FastifyAdapter()
    : new (await import('@nestjs/platform-express')).ExpressAdapter();
}

/** `module` as a Nest app on the spec's platform, quiet, with the raw body the verifier reads. */
async function createApp(module: Type): Promise<INestApplication> {
  return NestFactory.create(module, await adapterFor(spec.platform), {
    logger: false,
    rawBody: true,
  });
}

/** The `offTwin` app: the same receiver with `telemetry: false`, in this process. */
async function startOffTwin(): Promise<INestApplication> {
  const app = await createApp(receiverBenchModule(undefined, false));
  await app.listen(0, '127.0.0.1');
  return app;
}

async function start(): Promise<INestApplication> {
  // Without a store the module makes its default one: the bounded memory store.
  const store =
    spec.store === 'redis'
      ? new RedisFlowEventStore({ url: spec.redisUrl })
      : spec.store === 'postgres'
        ? await postgresStore(spec.databaseUrl!)
        : undefined;
  const module =
    spec.app === 'signature'
      ? signatureBenchModule()
      : spec.app === 'storm'
        ? stormBenchModule(store)
        : receiverBenchModule(store, spec.telemetry !== 'off', spec.handlerWorkMicros);
  // Registered before the module makes its instruments, as a host's tracing file does.
  if (spec.telemetry === 'metrics' || spec.telemetry === 'traces' || spec.telemetry === 'ratio') {
    registerBenchSdk(spec.telemetry);
  }
  const app = await createApp(module);
  if (spec.app === 'storm') {
    // Shaped like the sample: every route under /api but the webhook receiver, no X-Powered-By.
    app.setGlobalPrefix(STORM_PREFIX, {
      exclude: [{ path: STORM_ROUTES.receiver.slice(1), method: RequestMethod.POST }],
    });
    if (spec.platform === 'express') (app as NestExpressApplication).disable('x-powered-by');
  }
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

const portOf = (app: INestApplication) =>
  (app.getHttpServer() as { address(): AddressInfo }).address().port;

// The twin starts after the measured app, so the SDK is registered as the only app starts.
start()
  .then(async (app) => [app, spec.offTwin ? await startOffTwin() : undefined] as const)
  .then(
    ([app, twin]) => {
      send({ type: 'ready', port: portOf(app), ...(twin ? { twinPort: portOf(twin) } : {}) });
      process.on('message', (message: ServerRequest) => {
        if (message.type === 'runs') {
          const runs = app.get(StormRuns);
          send({ type: 'runs', counts: [...runs.counts], bare: runs.bare });
        } else if (message.type === 'peak') {
          // Peak resident set size of the process so far (ru_maxrss, KiB).
          send({ type: 'peak', maxRssBytes: process.resourceUsage().maxRSS * 1024 });
        } else if (message.type === 'calibrate') {
          let signer: FlowSigner | undefined;
          try {
            signer = app.get(FlowSigner, { strict: false });
          } catch {
            signer = undefined;
          }
          const inProcess = calibrate(signer);
          const dispatch =
            spec.app === 'receiver'
              ? calibrateDispatch(
                  app.get(FlowEventDispatcher, { strict: false }),
                  JSON.parse(EXAMPLE_WEBHOOK.body) as FlowWebhookEvent,
                )
              : Promise.resolve(Number.NaN);
          void dispatch.then(
            (dispatchMicros) => send({ type: 'calibrate', ...inProcess, dispatchMicros }),
            (error: unknown) => send({ type: 'error', message: String(error) }),
          );
        } else if (message.type === 'stats') {
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
          send({ type: 'cpu', user: usage.user, system: usage.system });
        } else if (message.type === 'stop') {
          void Promise.all([app.close(), twin?.close()]).finally(() => process.exit(0));
        }
      });
    },
    (error: unknown) => {
      send({ type: 'error', message: (error as Error)?.stack ?? String(error) });
      process.exit(1);
    },
  );
