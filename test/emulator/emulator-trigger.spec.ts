import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FlowEmulatorError,
  startFlowEmulator,
  type FlowEmulator,
} from '../../lib/emulator/index.js';
import { EVENT_PLATFORMS } from '../support/flow-events-app.js';
import { startFetchSessionHost, type SessionRecorder } from '../support/fetch-session-host.js';

describe.each(EVENT_PLATFORMS)('startFlowEmulator().trigger() with a %s app', (platform) => {
  let emulator: FlowEmulator;
  let app: INestApplication;
  let recorder: SessionRecorder;

  beforeAll(async () => {
    emulator = await startFlowEmulator({ retryDelaysMs: [] });
    const host = await startFetchSessionHost(platform, emulator.keys, emulator.apiBaseUrl);
    app = host.app;
    recorder = host.recorder;
    emulator.setWebhookUrl(host.webhookUrl);
  });
  afterAll(async () => {
    await app.close();
    await emulator.close();
  });

  it("resolves with the session and its deliveries; the app's fetchSession() returned that session", async () => {
    const result = await emulator.trigger('flow_session.status.updated', {
      customerReference: 'user-1',
      status: 'failed',
    });
    expect(result.created).toBe(true);
    expect(result.session.status).toBe('failed');
    expect(result.session.customer_reference).toBe('user-1');
    // Failing fails the current (first) step, then ends the session.
    expect(
      result.deliveries.map((d) => [d.event, d.step, d.state, d.attempts.length]),
    ).toStrictEqual([
      ['flow_session.step.updated', 'accept_tos', 'delivered', 1],
      ['flow_session.status.updated', null, 'delivered', 1],
    ]);
    expect(result.deliveries.every((d) => d.sessionId === result.session.id)).toBe(true);
    expect(recorder.seen.filter((s) => s.customerReference === 'user-1')).toMatchObject([
      { sessionId: result.session.id, eventSessionId: result.session.id },
      { sessionId: result.session.id, status: 'failed', event: 'flow_session.status.updated' },
    ]);
  });

  it('defaults: success, a fresh customer reference; a second trigger for it reuses nothing ended', async () => {
    const first = await emulator.trigger('flow_session.status.updated');
    expect(first.session.status).toBe('success');
    expect(first.session.customer_reference).toMatch(/^flow-trigger-[A-Za-z0-9]{14}$/);
    expect(first.deliveries.map((d) => d.event)).toStrictEqual([
      'flow_session.step.updated',
      'flow_session.step.updated',
      'flow_session.step.updated',
      'flow_session.status.updated',
    ]);
    const step = await emulator.trigger('flow_session.step.updated', {
      customerReference: first.session.customer_reference,
    });
    expect(step.created).toBe(true);
    expect(step.session.id).not.toBe(first.session.id);
    const again = await emulator.trigger('flow_session.step.updated', {
      customerReference: first.session.customer_reference,
    });
    expect([again.created, again.session.id]).toStrictEqual([false, step.session.id]);
    expect(again.deliveries.map((d) => [d.event, d.step])).toStrictEqual([
      ['flow_session.step.updated', 'verify_sms'],
    ]);
  });

  it('retried: the new session, with the old one’s canceled webhook first', async () => {
    const old = await emulator.trigger('flow_session.status.updated', {
      customerReference: 'user-2',
      status: 'expired',
    });
    const result = await emulator.trigger('flow_session.retried', { customerReference: 'user-2' });
    expect(result.session.previous_session_id).toBe(old.session.id);
    expect(result.deliveries.map((d) => [d.event, d.sessionId, d.status])).toStrictEqual([
      ['flow_session.status.updated', old.session.id, 'canceled'],
      ['flow_session.retried', result.session.id, 'active'],
    ]);
    expect(recorder.seen.at(-1)).toMatchObject({
      event: 'flow_session.retried',
      sessionId: result.session.id,
      previousSessionId: old.session.id,
    });
  });

  it('refuses an unknown event, a status it cannot carry, a bad reference: FlowEmulatorError', async () => {
    const count = emulator.sessions.length;
    const refusals = [
      () => emulator.trigger('flow_session.created' as never),
      () => emulator.trigger('flow_session.step.updated', { status: 'success' }),
      () => emulator.trigger('flow_session.status.updated', { status: 'active' as never }),
      () => emulator.trigger('flow_session.status.updated', { customerReference: '' }),
    ];
    for (const refusal of refusals) {
      const error = await refusal().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(FlowEmulatorError);
      expect((error as FlowEmulatorError).code).toBe('invalid_option');
    }
    expect(emulator.sessions.length).toBe(count);
  });
});
