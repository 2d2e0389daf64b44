import 'reflect-metadata';
import { Injectable, Module, type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FlowApiError,
  FlowModule,
  OnFlowEvent,
  type FlowEventContext,
  type FlowSessionStatusUpdatedEvent,
} from '../../lib/index.js';
import { startFlowApiStandIn, type FlowApiStandIn } from '../api/support/flow-api-stand-in.js';
import { EVENT_PLATFORMS, RECEIVER_PATH, deliver, flowEvent } from '../support/flow-events-app.js';
import { HOSTILE_TEXT, TERMINAL_ACTIVE } from '../support/hostile-text.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const apiKey = `sandbox_key_${'0'.repeat(32)}`;
/** The session id and reference of every event `flowEvent()` builds. */
const sessionId = 'flwses_0123456789abcd';
const reference = 'user-1';
let api: FlowApiStandIn;

/** Every argument of every log line, as the host's logger receives them. */
const logged: string[] = [];
const logger: LoggerService = {
  log: (...args: unknown[]) => void logged.push(...args.map(String)),
  error: (...args: unknown[]) => void logged.push(...args.map(String)),
  warn: (...args: unknown[]) => void logged.push(...args.map(String)),
  debug: () => undefined,
  verbose: () => undefined,
};

/** What the handler got from fetchSession: the session's id, or the error's code. */
const outcomes: string[] = [];

@Injectable()
class ConfirmingHandler {
  @OnFlowEvent('flow_session.status.updated')
  async onStatus(_event: FlowSessionStatusUpdatedEvent, context: FlowEventContext) {
    try {
      outcomes.push(String((await context.fetchSession()).id));
    } catch (error) {
      outcomes.push((error as FlowApiError).code);
      throw error;
    }
  }
}

async function startApp(adapter: (typeof EVENT_PLATFORMS)[number][1]) {
  @Module({
    imports: [
      FlowModule.forRoot({
        apiSecret: secret,
        apiKey,
        apiBaseUrl: api.baseUrl,
        api: { maxRetries: 0 },
        webhook: { path: RECEIVER_PATH },
      }),
    ],
    providers: [ConfirmingHandler],
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, adapter(), { rawBody: true, logger });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as import('node:net').Server).address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}

/** No log line (a stack's lines included) holds a character a terminal acts on or starts with remote text. */
function expectInert(lines: string[]): void {
  for (const line of lines)
    for (const row of line.split('\n')) {
      expect(row).not.toMatch(TERMINAL_ACTIVE);
      expect(row.startsWith('FAKE')).toBe(false);
    }
}

beforeAll(async () => {
  api = await startFlowApiStandIn({ secret, apiKey });
});
afterAll(() => api.close());

describe.each(EVENT_PLATFORMS)('fetchSession() on %s', (name, adapter) => {
  let running: INestApplication | undefined;
  beforeEach(() => {
    logged.length = 0;
    outcomes.length = 0;
    api.requests.length = 0;
    api.script.length = 0;
    api.sessions.clear();
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it("logs a failed call with Cognito's hostile error text escaped", async () => {
    const started = await startApp(adapter);
    running = started.app;
    api.script.push({ status: 422, body: { errors: [{ code: HOSTILE_TEXT, message: 'm' }] } });
    const answer = await deliver(started.baseUrl, secret, flowEvent(`whkevt_fs_${name}_1`));
    expect(outcomes).toEqual(['http']);
    expect(answer.status).toBeGreaterThanOrEqual(500);
    const lines = logged.filter((line) => line.includes('422'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain('\\x1b[31m');
    expectInert(logged);
  });

  it('logs a signed event id that carries controls escaped', async () => {
    const started = await startApp(adapter);
    running = started.app;
    api.script.push({ status: 503 });
    const id = `whkevt_${name}_${HOSTILE_TEXT}`;
    const answer = await deliver(started.baseUrl, secret, flowEvent(id));
    expect(answer.status).toBeGreaterThanOrEqual(500);
    expect(logged.some((line) => line.includes(`whkevt_${name}_ok\\x1b[31m`))).toBe(true);
    expectInert(logged);
  });

  it.each([
    ['another session id', { id: 'flwses_another000001', customer_reference: reference }],
    ['another customer reference', { id: sessionId, customer_reference: 'user-2' }],
    ['no customer reference', { id: sessionId }],
    ['a hostile customer reference', { id: sessionId, customer_reference: HOSTILE_TEXT }],
  ])(
    'refuses a session with %s: typed error, delivery failed, logged escaped',
    async (_, session) => {
      const started = await startApp(adapter);
      running = started.app;
      api.sessions.set(sessionId, { object: 'flow_session', status: 'success', ...session });
      const answer = await deliver(started.baseUrl, secret, flowEvent(`whkevt_fs_${name}_2`));
      expect(outcomes).toEqual(['session_mismatch']);
      expect(api.requests.map((request) => request.url)).toEqual([`/flow_sessions/${sessionId}`]);
      // Failed closed: the handler never saw the session, and Cognito will retry the delivery.
      expect(answer.status).toBeGreaterThanOrEqual(500);
      expect(logged.some((line) => line.includes("not the event's"))).toBe(true);
      expectInert(logged);
    },
  );

  it('accepts the session of the event (same id, same reference)', async () => {
    const started = await startApp(adapter);
    running = started.app;
    api.sessions.set(sessionId, {
      id: sessionId,
      customer_reference: reference,
      status: 'success',
    });
    const answer = await deliver(started.baseUrl, secret, flowEvent(`whkevt_fs_${name}_3`));
    expect(answer.status).toBe(200);
    expect(outcomes).toEqual([sessionId]);
  });
});
