import 'reflect-metadata';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FlowApiError,
  FlowModule,
  OnFlowEvent,
  type FlowApiSession,
  type FlowEventContext,
  type FlowSessionStatusUpdatedEvent,
} from '../../lib/index.js';
import { startFlowApiStandIn, type FlowApiStandIn } from '../api/support/flow-api-stand-in.js';
import { EVENT_PLATFORMS, RECEIVER_PATH, deliver, flowEvent } from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
// The key id signFlowWebhook announces by default, so deliveries verify against apiKey.
const apiKey = `sandbox_key_${'0'.repeat(32)}`;
const sessionId = 'flwses_0123456789abcd';
let api: FlowApiStandIn;

/** What the handlers saw, per handler. */
const seen: Array<{ handler: string; webhookStatus: string; apiStatus?: string; error?: string }> =
  [];

async function record(
  handler: string,
  event: FlowSessionStatusUpdatedEvent,
  context: FlowEventContext,
) {
  let session: FlowApiSession;
  try {
    session = await context.fetchSession();
  } catch (error) {
    seen.push({
      handler,
      webhookStatus: String(event.data.status),
      error: (error as FlowApiError).code,
    });
    throw error;
  }
  seen.push({
    handler,
    webhookStatus: String(event.data.status),
    apiStatus: String(session.status),
  });
}

@Injectable()
class FirstHandler {
  @OnFlowEvent('flow_session.status.updated')
  onStatus(event: FlowSessionStatusUpdatedEvent, context: FlowEventContext) {
    return record('first', event, context);
  }
}

@Injectable()
class SecondHandler {
  @OnFlowEvent('flow_session.status.updated')
  onStatus(event: FlowSessionStatusUpdatedEvent, context: FlowEventContext) {
    return record('second', event, context);
  }
}

async function startApp(
  adapter: (typeof EVENT_PLATFORMS)[number][1],
  withApi: boolean,
): Promise<{ app: INestApplication; baseUrl: string }> {
  @Module({
    imports: [
      FlowModule.forRoot({
        apiSecret: secret,
        ...(withApi ? { apiKey, apiBaseUrl: api.baseUrl, api: { maxRetries: 0 } } : {}),
        webhook: { path: RECEIVER_PATH },
      }),
    ],
    providers: [FirstHandler, SecondHandler],
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, adapter(), { rawBody: true, logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as import('node:net').Server).address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}

beforeAll(async () => {
  api = await startFlowApiStandIn({ secret, apiKey });
});
afterAll(() => api.close());

describe.each(EVENT_PLATFORMS)('confirmed events on %s', (name, adapter) => {
  let running: INestApplication | undefined;
  beforeEach(() => {
    seen.length = 0;
    api.requests.length = 0;
    api.script.length = 0;
    api.sessions.set(sessionId, {
      id: sessionId,
      object: 'flow_session',
      status: 'success',
      customer_reference: 'user-1',
    });
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it("fetchSession reads the API's status, one signed call per delivery shared by its handlers", async () => {
    const { app, baseUrl } = await startApp(adapter, true);
    running = app;
    // The webhook says failed (an older delivery arriving late); the API says success.
    const event = flowEvent(`whkevt_ctx_${name}_1`);
    event.data.status = 'failed';
    expect((await deliver(baseUrl, secret, event)).status).toBe(200);
    expect(seen).toHaveLength(2);
    for (const entry of seen)
      expect(entry).toMatchObject({ webhookStatus: 'failed', apiStatus: 'success' });
    expect(api.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      `GET /flow_sessions/${sessionId}`,
    ]);
    expect(api.requests[0].ownVerifier && api.requests[0].referenceVerifier).toBe(true);

    // Another delivery makes its own call.
    expect((await deliver(baseUrl, secret, flowEvent(`whkevt_ctx_${name}_2`))).status).toBe(200);
    expect(api.requests).toHaveLength(2);
  });

  it('an API failure fails the delivery so Cognito retries it', async () => {
    const { app, baseUrl } = await startApp(adapter, true);
    running = app;
    api.script.push({ status: 503 });
    const answer = await deliver(baseUrl, secret, flowEvent(`whkevt_ctx_${name}_3`));
    expect(answer.status).toBeGreaterThanOrEqual(500);
    expect(seen.map((entry) => entry.error)).toEqual(['http', 'http']);
    expect(api.requests).toHaveLength(1);
    // The retry gets a fresh call and succeeds.
    expect((await deliver(baseUrl, secret, flowEvent(`whkevt_ctx_${name}_3`))).status).toBe(200);
    expect(api.requests).toHaveLength(2);
  });

  it('without an API key, fetchSession rejects with not_configured and calls nothing', async () => {
    const { app, baseUrl } = await startApp(adapter, false);
    running = app;
    const answer = await deliver(baseUrl, secret, flowEvent(`whkevt_ctx_${name}_4`));
    expect(answer.status).toBeGreaterThanOrEqual(500);
    expect(seen.map((entry) => entry.error)).toEqual(['not_configured', 'not_configured']);
    expect(api.requests).toHaveLength(0);
  });
});
