import 'reflect-metadata';
import {
  Injectable,
  Module,
  SetMetadata,
  VersioningType,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import type { AddressInfo, Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowModule, MemoryFlowEventStore, type FlowWebhookOptions } from '../../lib/index.js';
import { type FlowModuleValues } from '../../lib/config/flow-module-options.interface.js';
import { type FlowWebhookEvent } from '../../lib/protocol/index.js';
import {
  EVENT_PLATFORMS,
  HandlerProbe,
  flowEvent,
  handlerModule,
} from '../support/flow-events-app.js';
import { testHeaders } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';

const SECRET = generateSecret();
const PATH = 'hooks/async';
const ALLOW = 'async-keys:allow';

/** An event store that records what the dispatcher asked of it. */
class RecordingStore extends MemoryFlowEventStore {
  readonly claims: Array<{ id: string; leaseMs: number }> = [];
  readonly completions: Array<{ id: string; doneTtlMs: number }> = [];
  override claim(id: string, token: string, leaseMs: number) {
    this.claims.push({ id, leaseMs });
    return super.claim(id, token, leaseMs);
  }
  override complete(id: string, token: string, doneTtlMs: number) {
    this.completions.push({ id, doneTtlMs });
    return super.complete(id, token, doneTtlMs);
  }
}

/** A host's global guard letting through only classes marked with {@link ALLOW}. */
@Injectable()
class MarkedOnlyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    return this.reflector.get<boolean>(ALLOW, context.getClass()) === true;
  }
}

interface Case {
  /** The `webhook` block given beside the factory. */
  beside: FlowWebhookOptions;
  /** The factory's values besides the secret. */
  fromFactory?: FlowModuleValues['webhook'];
  versioned?: boolean;
  markedOnly?: boolean;
  /** The delivery: path sent to, path signed, Date, body. */
  send?: { url?: string; signed?: string; date?: Date; body?: string };
  /** What shows the key was used. */
  expect: (
    answer: number,
    seen: { store: RecordingStore; probe: HandlerProbe; id: string },
  ) => void;
}

const store = new RecordingStore();
const deadLetters: string[] = [];
const event = (id: string) => JSON.stringify(flowEvent(id));
const failing = (probe: HandlerProbe) =>
  (probe.behaviour = () => {
    throw new Error('handler failed');
  });

// One case per key of the webhook block; each fails if forRootAsync drops that key.
const CASES: Record<keyof FlowWebhookOptions, Case> = {
  path: {
    beside: { path: PATH },
    expect: (status, { probe }) => (expect(status).toBe(200), expect(probe.totalCalls).toBe(1)),
  },
  store: {
    beside: { path: PATH, store },
    expect: (status, seen) => (
      expect(status).toBe(200),
      expect(seen.store.claims.map((claim) => claim.id)).toContain(seen.id)
    ),
  },
  publicPath: {
    beside: { path: PATH, publicPath: '/proxied/flow' },
    send: { signed: '/proxied/flow' },
    expect: (status) => expect(status).toBe(200),
  },
  toleranceSeconds: {
    beside: { path: PATH, toleranceSeconds: 3600 },
    send: { date: new Date(Date.now() - 30 * 60_000) },
    expect: (status) => expect(status).toBe(200),
  },
  maxBodyBytes: {
    beside: { path: PATH, maxBodyBytes: 64 },
    expect: (status) => expect(status).toBe(413),
  },
  maxAttempts: {
    beside: { path: PATH, maxAttempts: 1 },
    // Dead-lettered after one failure, so acknowledged; the default (5) answers 500 and retries.
    expect: (status, { probe }) => (expect(probe.totalCalls).toBe(1), expect(status).toBe(200)),
  },
  onDeadLetter: {
    beside: { path: PATH, onDeadLetter: (e: FlowWebhookEvent) => void deadLetters.push(e.id) },
    fromFactory: { maxAttempts: 1 },
    expect: (_s, seen) => expect(deadLetters).toContain(seen.id),
  },
  doneTtlSeconds: {
    beside: { path: PATH, doneTtlSeconds: 86_400 },
    fromFactory: { store },
    expect: (_s, seen) =>
      expect(seen.store.completions.find((c) => c.id === seen.id)?.doneTtlMs).toBe(86_400_000),
  },
  leaseMs: {
    beside: { path: PATH, leaseMs: 4_000 },
    fromFactory: { store },
    expect: (_s, seen) =>
      expect(seen.store.claims.find((c) => c.id === seen.id)?.leaseMs).toBe(4_000),
  },
  version: {
    beside: { path: PATH, version: '2' },
    versioned: true,
    send: { url: `/v2/${PATH}` },
    expect: (status) => expect(status).toBe(200),
  },
  decorators: {
    beside: { path: PATH, decorators: [SetMetadata(ALLOW, true)] },
    markedOnly: true,
    expect: (status) => expect(status).toBe(200),
  },
};

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe.each(EVENT_PLATFORMS)(
  'forRootAsync uses each webhook key given beside the factory (%s)',
  (platform, adapter) => {
    it.each(Object.entries(CASES))('%s', async (key, given) => {
      const probe = new HandlerProbe();
      if (key === 'maxAttempts' || key === 'onDeadLetter') failing(probe);
      @Module({
        imports: [
          FlowModule.forRootAsync({
            useFactory: () => ({ apiSecret: SECRET, webhook: given.fromFactory }),
            webhook: given.beside,
          }),
          handlerModule(probe),
        ],
        providers: given.markedOnly ? [{ provide: APP_GUARD, useClass: MarkedOnlyGuard }] : [],
      })
      class AppModule {}
      app = await NestFactory.create(AppModule, adapter(), { rawBody: true, logger: false });
      if (given.versioned) app.enableVersioning({ type: VersioningType.URI });
      await app.listen(0, '127.0.0.1');
      const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
      const url = given.send?.url ?? `/${PATH}`;
      const id = `whkevt_${key}_${platform}`;
      const body = given.send?.body ?? event(id);
      const { 'content-length': _length, ...headers } = testHeaders({
        secret: SECRET,
        url,
        signedTarget: given.send?.signed,
        date: given.send?.date,
        body,
      });
      const response = await fetch(`http://127.0.0.1:${port}${url}`, {
        method: 'POST',
        headers,
        body,
      });
      given.expect(response.status, { store, probe, id });
    });
  },
);

describe('forRootAsync refuses a webhook key given on both sides with different values', () => {
  it.each([
    ['store', { store: new MemoryFlowEventStore() }, { store }],
    ['toleranceSeconds', { toleranceSeconds: 600 }, { toleranceSeconds: 300 }],
  ] as const)('%s', async (key, beside, fromFactory) => {
    @Module({
      imports: [
        FlowModule.forRootAsync({
          useFactory: () => ({ apiSecret: SECRET, webhook: fromFactory }),
          webhook: beside,
        }),
      ],
    })
    class AppModule {}
    await expect(
      NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false }),
    ).rejects.toThrow(`webhook.${key} is given both beside the forRootAsync() factory and by it`);
  });
});
