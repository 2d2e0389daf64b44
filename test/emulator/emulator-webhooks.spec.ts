import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createFlowWebhookVerifier } from '../../lib/index.js';
import {
  startFlowEmulator,
  type FlowEmulator,
  type FlowEmulatorDelivery,
} from '../../lib/testing/index.js';
import {
  expectValidFlowSignature,
  startReceiver,
  type TestReceiver,
} from '../cli/flow-receiver.js';
import { generateSecret } from '../support/test-secrets.js';

// The draft's reference implementation (CommonJS, untyped).
const httpSignature = createRequire(import.meta.url)('http-signature') as {
  parseRequest(request: unknown, options?: Record<string, unknown>): { keyId: string };
  verifyHMAC(parsed: unknown, secret: string): boolean;
};

const secret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
const REFERENCE = 'user-42';

let emulator: FlowEmulator | undefined;
let receiver: TestReceiver | undefined;

afterEach(async () => {
  await emulator?.close();
  await receiver?.close();
  emulator = undefined;
  receiver = undefined;
});

async function start(
  retryDelaysMs: number[] = [20, 20],
  onAttempt?: (delivery: FlowEmulatorDelivery) => void,
) {
  receiver = await startReceiver();
  emulator = await startFlowEmulator({
    keys: { apiSecret: secret, apiKey },
    webhookUrl: `http://127.0.0.1:${receiver.port}/webhook_receivers/flow`,
    steps: ['accept_tos', 'kyc_check'],
    retryDelaysMs,
    onAttempt,
  });
  return { receiver, emulator };
}

/** A delivered body, as FLOW-PROTOCOL §3 describes it. */
interface EventBody {
  id: string;
  event: string;
  environment: string;
  data: { id: string; status: string; step: string | null; customer_reference: string };
}

function events(r: TestReceiver): EventBody[] {
  return r.received.map((d) => JSON.parse(d.body.toString('utf8')) as EventBody);
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  // performance.now(): a test may move Date.
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the emulator's webhook deliveries", () => {
  it('sends each step then the status, signed as Cognito signs them, verified by this package and by http-signature', async () => {
    const { receiver, emulator } = await start();
    const session = await emulator.pass(REFERENCE);
    expect(session.status).toBe('success');

    const bodies = events(receiver);
    expect(bodies.map((b) => [b.event, b.data.step, b.data.status])).toStrictEqual([
      ['flow_session.step.updated', 'accept_tos', 'active'],
      ['flow_session.step.updated', 'kyc_check', 'active'],
      ['flow_session.status.updated', null, 'success'],
    ]);
    const verify = createFlowWebhookVerifier({ secrets: [secret], apiKeys: [apiKey] });
    for (const [index, delivery] of receiver.received.entries()) {
      expect(delivery.url).toBe('/webhook_receivers/flow');
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.headers['cognito-version']).toBe('2020-08-14');
      expect(expectValidFlowSignature(delivery, secret)).toBe(apiKey);
      const event = verify({
        method: delivery.method,
        url: delivery.url,
        headers: delivery.headers,
        rawBody: delivery.body,
      });
      expect(event.id).toBe(bodies[index].id);
      expect(event.data.customer_reference).toBe(REFERENCE);
      expect(event.data.id).toBe(session.id);
      const parsed = httpSignature.parseRequest(
        {
          method: delivery.method,
          url: delivery.url,
          httpVersion: '1.1',
          headers: delivery.headers,
        },
        { strict: true, clockSkew: 60 },
      );
      expect(parsed.keyId).toBe(apiKey);
      expect(httpSignature.verifyHMAC(parsed, secret)).toBe(true);
      expect(httpSignature.verifyHMAC(parsed, generateSecret())).toBe(false);
    }
    // The body shape of FLOW-PROTOCOL §3, fields in Cognito's order.
    expect(Object.keys(bodies[2])).toStrictEqual([
      'id',
      'timestamp',
      'event',
      'data',
      'environment',
    ]);
    expect(Object.keys(bodies[2].data)).toStrictEqual([
      'object',
      'id',
      'status',
      'step',
      'customer_reference',
      '_meta',
    ]);
    expect(bodies[2].id).toMatch(/^whkevt_[A-Za-z0-9]{14}$/);
    expect(bodies[2].environment).toBe('sandbox');
    expect(
      emulator.deliveries.map((d) => [d.state, d.attempts.map((a) => a.status)]),
    ).toStrictEqual([
      ['delivered', [204]],
      ['delivered', [204]],
      ['delivered', [204]],
    ]);
  });

  it('retries a non-2xx answer with the same event id until a 2xx', async () => {
    // Retries wait long enough for both first attempts to land first, even on a loaded machine.
    const { receiver, emulator } = await start([250, 250]);
    receiver.answers.push(500, 503);
    await emulator.fail(REFERENCE);
    // First attempts: the failed step (answered 500), then the status (503); then retries.
    await until(() => emulator.deliveries.every((d) => d.state === 'delivered'));
    const ids = events(receiver).map((b) => `${b.event}:${b.id}`);
    expect(ids).toHaveLength(4);
    const [step, status] = emulator.deliveries;
    expect(step.attempts.map((a) => a.status)).toStrictEqual([500, 204]);
    expect(status.attempts.map((a) => a.status)).toStrictEqual([503, 204]);
    expect(ids.filter((id) => id.endsWith(step.eventId))).toHaveLength(2);
    expect(
      events(receiver).find((b) => b.event === 'flow_session.status.updated')?.data.status,
    ).toBe('failed');
    for (const delivery of receiver.received)
      expect(expectValidFlowSignature(delivery, secret)).toBe(apiKey);
  });

  it('signs every retry anew: a later Date, so another signature, each one verifying', async () => {
    // A controlled clock: Date moves 7 s after every attempt, so a retry signed anew carries
    // another Date (IMF-fixdate has whole seconds) and so another signature.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 5, 12, 0, 0) });
    onTestFinished(() => void vi.useRealTimers());
    const { receiver, emulator } = await start([30, 30], () => {
      vi.setSystemTime(Date.now() + 7_000);
    });
    receiver.answers.push(500, 500);
    await emulator.pass(REFERENCE);
    await until(() => receiver.received.length === 5);
    const byEvent = new Map<string, typeof receiver.received>();
    for (const [index, body] of events(receiver).entries())
      byEvent.set(body.id, [...(byEvent.get(body.id) ?? []), receiver.received[index]]);
    const retried = [...byEvent.values()].filter((sent) => sent.length > 1);
    expect(retried.length).toBeGreaterThan(0);
    for (const [eventId, sent] of byEvent) {
      // The same bytes each time, signed again: every Date and every signature differs.
      expect(new Set(sent.map((d) => d.body.toString('base64'))).size).toBe(1);
      expect(new Set(sent.map((d) => d.headers.date)).size).toBe(sent.length);
      expect(new Set(sent.map((d) => d.headers.authorization)).size).toBe(sent.length);
      for (const delivery of sent) {
        expect(expectValidFlowSignature(delivery, secret)).toBe(apiKey);
        const verify = createFlowWebhookVerifier({
          secrets: [secret],
          apiKeys: [apiKey],
          now: () => new Date(delivery.headers.date as string),
        });
        expect(verify({ ...delivery, rawBody: delivery.body }).id).toBe(eventId);
      }
    }
  });

  it('gives up after the last retry and records every answer', async () => {
    const { receiver, emulator } = await start([10, 10]);
    // Three deliveries, three attempts each, every one refused.
    receiver.answers.push(...Array<number>(9).fill(500));
    emulator.setWebhookUrl(`http://127.0.0.1:${receiver.port}/only-one`);
    await emulator.pass(REFERENCE);
    await until(() =>
      emulator.deliveries.every((d) => d.state !== 'retrying' && d.state !== 'pending'),
    );
    expect(receiver.received).toHaveLength(9);
    for (const delivery of emulator.deliveries) {
      expect(delivery.state).toBe('failed');
      expect(delivery.attempts.map((a) => a.status)).toStrictEqual([500, 500, 500]);
      expect(delivery.attempts[0].detail).toBe('answer 500');
    }
    expect(receiver.received.every((d) => d.url === '/only-one')).toBe(true);
    // No fourth attempt comes later.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.received).toHaveLength(9);
  });

  it('on a retry, cancels the failed session (status webhook) and sends flow_session.retried for the new one', async () => {
    const { receiver, emulator } = await start();
    const failed = await emulator.fail(REFERENCE);
    const answer = await fetch(`${emulator.apiBaseUrl}/emulator/sessions/${failed.id}/retry`, {
      method: 'POST',
      body: '{}',
    });
    expect(answer.status).toBe(200);
    const passed = await emulator.pass(REFERENCE);
    expect(passed.id).not.toBe(failed.id);
    expect(passed.previous_session_id).toBe(failed.id);
    expect(passed.status).toBe('success');
    const sessionOf = (id: string) => (id === failed.id ? 'old' : 'new');
    expect(
      events(receiver).map((b) =>
        `${sessionOf(b.data.id)} ${b.event} ${b.data.step ?? ''} ${b.data.status}`.replace(
          '  ',
          ' ',
        ),
      ),
    ).toStrictEqual([
      'old flow_session.step.updated accept_tos active',
      'old flow_session.status.updated failed',
      'old flow_session.status.updated canceled',
      'new flow_session.retried active',
      'new flow_session.step.updated accept_tos active',
      'new flow_session.step.updated kyc_check active',
      'new flow_session.status.updated success',
    ]);
  });

  it('end() produces every status of the spec, each with its status webhook', async () => {
    const { receiver, emulator } = await start();
    const statuses = ['success', 'failed', 'expired', 'canceled', 'pending_review'] as const;
    for (const status of statuses) {
      const session = await emulator.end(`end-${status}`, status);
      expect(session.status).toBe(status);
      expect(session.completed_at === null).toBe(status !== 'success' && status !== 'failed');
    }
    const statusEvents = events(receiver).filter((b) => b.event === 'flow_session.status.updated');
    expect(statusEvents.map((b) => [b.data.customer_reference, b.data.status])).toStrictEqual(
      statuses.map((status) => [`end-${status}`, status]),
    );
    await expect(emulator.end('x', 'active' as never)).rejects.toThrow(/end\(\) takes one of/);
  });

  it('records deliveries as not sent without a webhook URL', async () => {
    emulator = await startFlowEmulator({ keys: { apiSecret: secret } });
    await emulator.pass(REFERENCE);
    expect(emulator.deliveries.map((d) => d.state)).toStrictEqual([
      'not_sent',
      'not_sent',
      'not_sent',
      'not_sent',
    ]);
  });

  it('refuses a webhook URL off this machine unless allowRemote', async () => {
    await expect(
      startFlowEmulator({ webhookUrl: 'https://example.com/webhook_receivers/flow' }),
    ).rejects.toMatchObject({ code: 'remote_webhook_url' });
    emulator = await startFlowEmulator({
      webhookUrl: 'https://example.com/webhook_receivers/flow',
      allowRemote: true,
    });
    expect(emulator.webhookUrl).toBe('https://example.com/webhook_receivers/flow');
    const local = await startFlowEmulator();
    try {
      expect(() => local.setWebhookUrl('http://10.0.0.1/x')).toThrow(/not a loopback address/);
    } finally {
      await local.close();
    }
  });
});
