import 'reflect-metadata';
import { Inject, Injectable, Module, Scope, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FlowModule, OnFlowEvent, type FlowWebhookEvent } from '../../lib/index.js';
import { EVENT_PLATFORMS, RECEIVER_PATH, deliver, flowEvent } from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';

const LABEL = 'LABEL';
const calls: Array<{ label: string; id: string }> = [];

/** One request-scoped handler class, declared by two modules that each give it another label. */
@Injectable({ scope: Scope.REQUEST })
class LabelledHandler {
  constructor(@Inject(LABEL) private readonly label: string) {}

  @OnFlowEvent('flow_session.status.updated')
  onStatus(event: FlowWebhookEvent): void {
    calls.push({ label: this.label, id: event.id });
  }
}

@Module({ providers: [{ provide: LABEL, useValue: 'billing' }, LabelledHandler] })
class BillingModule {}

@Module({ providers: [{ provide: LABEL, useValue: 'compliance' }, LabelledHandler] })
class ComplianceModule {}

describe.each(EVENT_PLATFORMS)(
  'a request-scoped handler declared by two modules on %s',
  (name, adapter) => {
    it("resolves each from its declaring module, with that module's own providers", async () => {
      const secret = generateSecret();
      @Module({
        imports: [
          FlowModule.forRoot({ apiSecret: secret, webhook: { path: RECEIVER_PATH } }),
          BillingModule,
          ComplianceModule,
        ],
      })
      class AppModule {}
      const app: INestApplication = await NestFactory.create(AppModule, adapter(), {
        rawBody: true,
        logger: false,
      });
      try {
        await app.listen(0, '127.0.0.1');
        const { port } = (app.getHttpServer() as Server).address() as { port: number };
        calls.length = 0;
        const id = `whkevt_two_modules_${name}`;
        expect((await deliver(`http://127.0.0.1:${port}`, secret, flowEvent(id))).status).toBe(200);
        // Resolved by token from anywhere else, both calls would land on one module's instance.
        expect(calls.map((call) => call.label).sort()).toEqual(['billing', 'compliance']);
        expect(calls.every((call) => call.id === id)).toBe(true);
      } finally {
        await app.close();
      }
    });
  },
);
