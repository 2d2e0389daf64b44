import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FlowApiClient, signFlowRequest, type FlowApiSession } from '../../lib/index.js';
import { startFlowEmulator, type FlowEmulator } from '../../lib/testing/index.js';
import { startReceiver, type TestReceiver } from '../cli/flow-receiver.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_00000000000000000000000000000002';
const templateId = 'flwtmp_cognitoapi0001';

let emulator: FlowEmulator;
let receiver: TestReceiver;

beforeAll(async () => {
  receiver = await startReceiver();
  emulator = await startFlowEmulator({
    keys: { apiSecret: secret, apiKey, templateId },
    webhookUrl: `http://127.0.0.1:${receiver.port}/webhook_receivers/flow`,
    retryDelaysMs: [],
  });
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(() => {
  receiver.received.length = 0;
});

/** A correctly signed request with the given headers on top (or removed with undefined). */
async function send(path: string, body: string, headers: Record<string, string | undefined>) {
  const signed = signFlowRequest({ secret, keyId: apiKey, method: 'POST', path, body });
  const all: Record<string, string> = { ...signed };
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) all[name] = value;
  const response = await fetch(`${emulator.apiBaseUrl}${path}`, {
    method: 'POST',
    headers: all,
    body,
  });
  const json = (await response.json()) as { errors: Array<{ code: string; message: string }> };
  return { status: response.status, codes: json.errors?.map((e) => e.code) };
}

function client(): FlowApiClient {
  return new FlowApiClient({ apiKey, apiSecret: secret, templateId, baseUrl: emulator.apiBaseUrl });
}

function delivered(): Array<{ event: string; data: { id: string; status: string } }> {
  return receiver.received.map((d) => JSON.parse(d.body.toString('utf8')) as never);
}

describe("the emulator's API refuses what Cognito's refuses", () => {
  const body = JSON.stringify({ template_id: templateId, user: { customer_reference: 'h-1' } });
  const good = {
    'Cognito-Version': '2020-08-14',
    Accept: 'application/vnd.api+json',
    'Content-Type': 'application/vnd.api+json',
  };

  it('a missing or unknown Cognito-Version: 400 with an errors array', async () => {
    const path = '/flow_sessions?idempotent=true';
    expect(await send(path, body, { ...good, 'Cognito-Version': undefined })).toStrictEqual({
      status: 400,
      codes: ['missing_version'],
    });
    expect(await send(path, body, { ...good, 'Cognito-Version': '1999-01-01' })).toStrictEqual({
      status: 400,
      codes: ['invalid_version'],
    });
  });

  it('a body that is not JSON:API (415) and an Accept without it (406)', async () => {
    const path = '/flow_sessions?idempotent=true';
    expect(await send(path, body, { ...good, 'Content-Type': 'application/json' })).toStrictEqual({
      status: 415,
      codes: ['unsupported_media_type'],
    });
    expect(await send(path, body, { ...good, Accept: 'application/json' })).toStrictEqual({
      status: 406,
      codes: ['not_acceptable'],
    });
    expect(emulator.sessions.filter((s) => s.customer_reference === 'h-1')).toHaveLength(0);
    expect((await send(path, body, good)).status).toBe(201);
  });

  it('accepts a configured older version when told to', async () => {
    const older = await startFlowEmulator({
      keys: { apiSecret: secret, apiKey, templateId },
      cognitoVersions: ['2016-09-01'],
    });
    try {
      const flow = new FlowApiClient({
        apiKey,
        apiSecret: secret,
        templateId,
        baseUrl: older.apiBaseUrl,
        cognitoVersion: '2016-09-01',
      });
      expect((await flow.createFlowSession({ customerReference: 'v-1' })).created).toBe(true);
      await expect(client().getFlowSession('flwses_x1')).rejects.toMatchObject({ status: 404 });
    } finally {
      await older.close();
    }
  });
});

describe("the emulator's POST /flow_sessions/retry, as Cognito does it", () => {
  it('a new session with previous_session_id, the old one canceled, webhooks for both', async () => {
    const flow = client();
    const { session: old } = await flow.createFlowSession({ customerReference: 'r-1' });
    await emulator.fail('r-1');
    receiver.received.length = 0;
    const renewed: FlowApiSession = await flow.retryFlowSession({ customerReference: 'r-1' });
    expect(renewed.id).not.toBe(old.id);
    expect(renewed.previous_session_id).toBe(old.id);
    expect(renewed.status).toBe('active');
    expect((await flow.getFlowSession(old.id)).status).toBe('canceled');
    expect(delivered().map((b) => [b.event, b.data.id, b.data.status])).toStrictEqual([
      ['flow_session.status.updated', old.id, 'canceled'],
      ['flow_session.retried', renewed.id, 'active'],
    ]);
    // The new session is the user's current one from now on.
    const again = await flow.createFlowSession({ customerReference: 'r-1' });
    expect([again.created, again.session.id]).toStrictEqual([false, renewed.id]);
    expect((await emulator.pass('r-1')).id).toBe(renewed.id);
  });

  it('404 for a user with no session; 422 for a strategy it does not emulate', async () => {
    const flow = client();
    await expect(flow.retryFlowSession({ customerReference: 'nobody' })).rejects.toMatchObject({
      status: 404,
      attempts: 1,
    });
    await flow.createFlowSession({ customerReference: 'r-2' });
    await expect(
      flow.retryFlowSession({ customerReference: 'r-2', strategy: 'incomplete' }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('startFlowEmulator().retry does the same without the API', async () => {
    const first = await emulator.fail('r-3');
    const renewed = await emulator.retry('r-3');
    expect(renewed.previous_session_id).toBe(first.id);
    expect(emulator.sessions.find((s) => s.id === first.id)?.status).toBe('canceled');
    await expect(emulator.retry('never-seen')).rejects.toMatchObject({
      name: 'FlowEmulatorError',
      code: 'session_state',
    });
    await emulator.pass('r-3');
    await expect(emulator.end('r-3', 'expired')).rejects.toMatchObject({
      code: 'session_state',
      message: expect.stringMatching(/has ended \(success\)/) as unknown,
    });
  });
});
