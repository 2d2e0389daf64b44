import 'reflect-metadata';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FlowModule,
  FlowSigner,
  OnFlowEvent,
  type FlowApiSession,
  type FlowEventContext,
  type FlowSessionStatusUpdatedEvent,
  type FlowSessionStepUpdatedEvent,
} from '../../lib/index.js';
import { DOCUMENTED_SESSION } from '../fixtures/flow-session-example.js';
import { startFlowEmulator, type FlowEmulator } from '../../lib/testing/index.js';
import { EVENT_PLATFORMS } from '../support/flow-events-app.js';

/** Written against FlowApiSession only: it must run unchanged on the documented example and on the emulator's sessions. */
function summary(session: FlowApiSession): string {
  const idNumber = session.user?.id_number;
  return `${String(session.status)} kyc:${String(session.steps.kyc_check)} id:${idNumber?.type ?? 'none'}`;
}

/** The host's own handler: what a real app does with Flow's webhooks. */
@Injectable()
class Verifications {
  readonly statuses = new Map<string, string>();
  readonly summaries = new Map<string, string>();
  readonly steps: string[] = [];

  @OnFlowEvent('flow_session.step.updated')
  onStep(event: FlowSessionStepUpdatedEvent): void {
    this.steps.push(String(event.data.step));
  }

  @OnFlowEvent('flow_session.status.updated')
  async onStatus(event: FlowSessionStatusUpdatedEvent, context: FlowEventContext): Promise<void> {
    this.statuses.set(event.data.customer_reference, String(event.data.status));
    this.summaries.set(event.data.customer_reference, summary(await context.fetchSession()));
  }
}

let emulator: FlowEmulator | undefined;
let app: INestApplication | undefined;

afterEach(async () => {
  await app?.close();
  await emulator?.close();
  app = undefined;
  emulator = undefined;
});

describe.each(EVENT_PLATFORMS)('a host e2e test driven by startFlowEmulator (%s)', (_, adapter) => {
  async function startHost(): Promise<{ emulator: FlowEmulator; app: INestApplication }> {
    emulator = await startFlowEmulator({ retryDelaysMs: [50] });
    const { apiSecret, apiKey, publishableKey, templateId } = emulator.keys;
    @Module({
      imports: [
        FlowModule.forRoot({
          apiSecret,
          apiKey,
          publishableKey,
          templateId,
          apiBaseUrl: emulator.apiBaseUrl,
          webhook: { path: 'webhook_receivers/flow' },
        }),
      ],
      providers: [Verifications],
    })
    class HostModule {}
    app = await NestFactory.create(HostModule, adapter(), { rawBody: true, logger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    emulator.setWebhookUrl(`http://127.0.0.1:${port}/webhook_receivers/flow`);
    return { emulator, app };
  }

  it('passes a verification without a browser: the host verifies and handles every webhook', async () => {
    const { emulator, app } = await startHost();
    const session = await emulator.pass('user-1');
    expect(session.status).toBe('success');
    const verifications = app.get(Verifications);
    expect(verifications.statuses.get('user-1')).toBe('success');
    expect(verifications.steps).toStrictEqual(['accept_tos', 'verify_sms', 'kyc_check']);
    // The host's receiver acknowledged each delivery on the first attempt.
    expect(emulator.deliveries.map((d) => [d.state, d.attempts.length])).toStrictEqual(
      Array.from({ length: 4 }, () => ['delivered', 1]),
    );
  });

  it('fails one: the status the host records is failed', async () => {
    const { emulator, app } = await startHost();
    await emulator.fail('user-2');
    expect(app.get(Verifications).statuses.get('user-2')).toBe('failed');
  });

  it("every status of the spec reaches the host's handler, which reads the session from the API", async () => {
    const { emulator, app } = await startHost();
    const verifications = app.get(Verifications);
    for (const status of ['success', 'failed', 'expired', 'canceled', 'pending_review'] as const)
      await emulator.end(`status-${status}`, status);
    await emulator.retry('status-failed');
    expect(Object.fromEntries(verifications.summaries)).toStrictEqual({
      'status-success': 'success kyc:success id:us_ssn',
      // Failed at its first step, then retried: its last status webhook is the canceled one.
      'status-failed': 'canceled kyc:waiting_for_prerequisite id:none',
      'status-expired': 'expired kyc:waiting_for_prerequisite id:none',
      'status-canceled': 'canceled kyc:waiting_for_prerequisite id:none',
      'status-pending_review': 'pending_review kyc:success id:us_ssn',
    });
    // The same handler on the documented example.
    expect(summary(DOCUMENTED_SESSION)).toBe('success kyc:success id:us_ssn');
    expect(emulator.deliveries.every((d) => d.state === 'delivered')).toBe(true);
  });

  it("accepts the host's own FlowSigner signature where Flow checks it, and refuses another", async () => {
    const { emulator, app } = await startHost();
    const signer = app.get(FlowSigner);
    const open = (signature: string) =>
      fetch(`${emulator.apiBaseUrl}/emulator/open`, {
        method: 'POST',
        body: JSON.stringify({
          publishableKey: emulator.keys.publishableKey,
          templateId: emulator.keys.templateId,
          user: { customerReference: 'user-3', signature },
        }),
      });
    expect((await open(signer.sign('user-4'))).status).toBe(401);
    expect(emulator.sessions).toStrictEqual([]);
    const answer = await open(signer.sign('user-3'));
    expect(answer.status).toBe(201);
    expect(emulator.sessions.map((s) => s.customer_reference)).toStrictEqual(['user-3']);
  });
});
