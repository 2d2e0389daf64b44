import { randomUUID } from 'node:crypto';
import 'reflect-metadata';
import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type INestApplication,
  type LoggerService,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { AddressInfo, Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  FlowModule,
  OnFlowEvent,
  type FlowWebhookEvent,
  type FlowWebhookOptions,
} from '../../lib/index.js';
import { signFlowWebhook } from '../../lib/testing/index.js';

/** The HTTP platforms every HTTP test runs on. */
export const EVENT_PLATFORMS = [
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const;

/** One of {@link EVENT_PLATFORMS}'s names. */
export type EventPlatform = (typeof EVENT_PLATFORMS)[number][0];

/** The receiver path the tests register. */
export const RECEIVER_PATH = 'webhook_receivers/flow';

/** The event name {@link flowEvent} gives by default: a status update. */
export const STATUS_UPDATED = 'flow_session.status.updated';

/** A fresh event id of the documented shape: `whkevt_` and 32 hex digits. */
export function newEventId(): string {
  return `whkevt_${randomUUID().replaceAll('-', '')}`;
}

/** A Flow event body with the given id and name (a status update by default). */
export function flowEvent(id: string, event = STATUS_UPDATED): FlowWebhookEvent {
  return {
    id,
    timestamp: '2026-01-01T00:00:00Z',
    event,
    environment: 'sandbox',
    data: {
      object: 'flow_session',
      id: 'flwses_0123456789abcd',
      status: 'success',
      step: event === 'flow_session.step.updated' ? 'kyc_check' : null,
      customer_reference: 'user-1',
    },
  };
}

/**
 * What the fake handler does and saw: calls per id, completions per id, and any moment two calls
 * for one id ran at the same time (which exactly-once processing must never allow).
 */
export class HandlerProbe {
  readonly calls = new Map<string, number>();
  readonly completions = new Map<string, number>();
  readonly overlaps: string[] = [];
  private readonly running = new Set<string>();
  /** Runs inside the handler: make it throw or block. */
  behaviour: (event: FlowWebhookEvent) => unknown = () => undefined;

  /** Total calls over all ids. */
  get totalCalls(): number {
    return [...this.calls.values()].reduce((sum, n) => sum + n, 0);
  }

  /** The handler body. */
  async handle(event: FlowWebhookEvent): Promise<void> {
    this.calls.set(event.id, (this.calls.get(event.id) ?? 0) + 1);
    if (this.running.has(event.id)) this.overlaps.push(event.id);
    this.running.add(event.id);
    try {
      await this.behaviour(event);
      this.completions.set(event.id, (this.completions.get(event.id) ?? 0) + 1);
    } finally {
      this.running.delete(event.id);
    }
  }
}

/** Token of the probe in the host module. */
export const HANDLER_PROBE = Symbol('HANDLER_PROBE');

/** The host's provider with a `flow_session.status.updated` handler. */
@Injectable()
export class StatusHandler {
  constructor(@Inject(HANDLER_PROBE) private readonly probe: HandlerProbe) {}

  @OnFlowEvent('flow_session.status.updated')
  async onStatus(event: FlowWebhookEvent): Promise<void> {
    await this.probe.handle(event);
  }
}

/** Token of the wildcard handler's probe. */
export const WILDCARD_PROBE = Symbol('WILDCARD_PROBE');

/** A second provider, handling every event with `'*'`. */
@Injectable()
export class WildcardHandler {
  constructor(@Inject(WILDCARD_PROBE) private readonly probe: HandlerProbe) {}

  @OnFlowEvent('*')
  async onAny(event: FlowWebhookEvent): Promise<void> {
    await this.probe.handle(event);
  }
}

@Module({})
class HandlerHostModule {}

/** A host feature module holding {@link StatusHandler} wired to `probe` (and a `'*'` handler when `wildcard` is given). */
export function handlerModule(probe: HandlerProbe, wildcard?: HandlerProbe): DynamicModule {
  return {
    module: HandlerHostModule,
    providers: [
      StatusHandler,
      { provide: HANDLER_PROBE, useValue: probe },
      ...(wildcard ? [WildcardHandler, { provide: WILDCARD_PROBE, useValue: wildcard }] : []),
    ],
  };
}

/** A running app and where it listens. */
export interface RunningFlowApp {
  app: INestApplication;
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
}

/** Starts a real app (`rawBody: true`, `listen(0)`) with FlowModule's receiver and `hostModules`. */
export async function startFlowApp(options: {
  platform: EventPlatform;
  secret: string;
  webhook?: Omit<FlowWebhookOptions, 'path'>;
  hostModules?: DynamicModule['imports'];
  logger?: LoggerService | false;
}): Promise<RunningFlowApp> {
  @Module({
    imports: [
      FlowModule.forRoot({
        apiSecret: options.secret,
        webhook: { ...options.webhook, path: RECEIVER_PATH },
      }),
      ...(options.hostModules ?? []),
    ],
  })
  class AppModule {}
  return listenOnLoopback(AppModule, options.platform, { logger: options.logger });
}

/**
 * Creates an app of `module` on `platform` (`rawBody` on unless told otherwise, no logger unless
 * one is given) and listens on 127.0.0.1 with `listen(0)`.
 */
export async function listenOnLoopback(
  module: Type,
  platform: EventPlatform,
  options: { rawBody?: boolean; logger?: LoggerService | false } = {},
): Promise<RunningFlowApp> {
  const adapter = EVENT_PLATFORMS.find(([name]) => name === platform)![1]();
  const app = await NestFactory.create(module, adapter, {
    rawBody: options.rawBody ?? true,
    logger: options.logger ?? false,
  });
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${address.port}` };
}

/** The answer to one delivery. */
export interface DeliveryAnswer {
  status: number;
  retryAfter: string | null;
  body: string;
}

/** Sends one signed delivery of `event` (signed now, as Cognito does on every try). */
export async function deliver(
  baseUrl: string,
  secret: string,
  event: FlowWebhookEvent | string,
): Promise<DeliveryAnswer> {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const headers = signFlowWebhook({ secret, path: `/${RECEIVER_PATH}`, body });
  const { 'content-length': _length, ...sent } = headers;
  const response = await fetch(`${baseUrl}/${RECEIVER_PATH}`, {
    method: 'POST',
    headers: sent,
    body,
    // A receiver that hangs instead of answering (an unbounded queue) fails the test.
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: await response.text(),
  };
}

/**
 * Cognito's side: resends until a 2xx, as Cognito does (with a short backoff here instead of
 * hours). Returns every status it got, the last one being the 2xx.
 */
export async function deliverUntilAcknowledged(
  baseUrl: string | (() => string),
  secret: string,
  event: FlowWebhookEvent,
  maxTries = 200,
): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < maxTries; attempt += 1) {
    const url = typeof baseUrl === 'string' ? baseUrl : baseUrl();
    const answer = await deliver(url, secret, event).catch(() => ({
      status: 0,
      retryAfter: null,
      body: '',
    }));
    statuses.push(answer.status);
    if (answer.status >= 200 && answer.status < 300) return statuses;
    await sleep(20 + Math.floor(Math.random() * 60));
  }
  throw new Error(`Delivery of ${event.id} never acknowledged: ${statuses.join(',')}`);
}
