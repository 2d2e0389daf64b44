import 'reflect-metadata';
import { Injectable, Module, Scope, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FlowModule,
  OnFlowEvent,
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
const statuses: string[] = [];
let api: FlowApiStandIn;

/** A request-scoped handler, resolved anew per delivery: it gets the delivery context too. */
@Injectable({ scope: Scope.REQUEST })
class ScopedHandler {
  @OnFlowEvent('flow_session.status.updated')
  async onStatus(_event: FlowSessionStatusUpdatedEvent, context: FlowEventContext): Promise<void> {
    statuses.push(String((await context.fetchSession()).status));
  }
}

/** A singleton handler of the same event, sharing the delivery's one API call. */
@Injectable()
class SingletonHandler {
  @OnFlowEvent('flow_session.status.updated')
  async onStatus(_event: FlowSessionStatusUpdatedEvent, context: FlowEventContext): Promise<void> {
    statuses.push(String((await context.fetchSession()).status));
  }
}

beforeAll(async () => {
  api = await startFlowApiStandIn({ secret, apiKey });
  api.sessions.set(sessionId, { id: sessionId, status: 'success', customer_reference: 'user-1' });
});
afterAll(() => api.close());

describe.each(EVENT_PLATFORMS)(
  'fetchSession in a request-scoped handler on %s',
  (name, adapter) => {
    it('reaches request-scoped and singleton handlers with one API call per delivery', async () => {
      @Module({
        imports: [
          FlowModule.forRoot({
            apiSecret: secret,
            apiKey,
            apiBaseUrl: api.baseUrl,
            webhook: { path: RECEIVER_PATH },
          }),
        ],
        providers: [ScopedHandler, SingletonHandler],
      })
      class AppModule {}
      const app: INestApplication = await NestFactory.create(AppModule, adapter(), {
        rawBody: true,
        logger: false,
      });
      try {
        await app.listen(0, '127.0.0.1');
        const { port } = (app.getHttpServer() as Server).address() as { port: number };
        statuses.length = 0;
        api.requests.length = 0;
        const event = flowEvent(`whkevt_scoped_${name}`);
        event.data.status = 'failed';
        expect((await deliver(`http://127.0.0.1:${port}`, secret, event)).status).toBe(200);
        expect(statuses).toEqual(['success', 'success']);
        expect(api.requests).toHaveLength(1);
      } finally {
        await app.close();
      }
    });
  },
);
