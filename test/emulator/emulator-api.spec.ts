import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signFlowRequest } from '../../lib/protocol/index.js';
import {
  startFlowEmulator,
  type FlowEmulator,
  type FlowEmulatorSession,
} from '../../lib/emulator/index.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_00000000000000000000000000000001';
const templateId = 'flwtmp_apitest000001';

let emulator: FlowEmulator;

/** A session, or Cognito's error shape. */
type ApiAnswer = FlowEmulatorSession & { errors: Array<{ code: string; message: string }> };

beforeAll(async () => {
  emulator = await startFlowEmulator({ keys: { apiSecret: secret, apiKey, templateId } });
});
afterAll(() => emulator.close());

/** Sends a request signed as FlowApiClient signs it; `sign` overrides what the signature covers. */
async function call(
  method: 'GET' | 'POST',
  path: string,
  body = '',
  sign: { secret?: string; keyId?: string; path?: string } = {},
) {
  const headers = signFlowRequest({
    secret: sign.secret ?? secret,
    keyId: sign.keyId ?? apiKey,
    method,
    path: sign.path ?? path,
    body,
  });
  const response = await fetch(`${emulator.apiBaseUrl}${path}`, {
    method,
    headers: {
      ...headers,
      'Cognito-Version': '2020-08-14',
      Accept: 'application/json',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: method === 'POST' ? body : undefined,
  });
  return { status: response.status, json: (await response.json()) as ApiAnswer };
}

function createBody(customerReference: string, template = templateId): string {
  return JSON.stringify({
    shareable: true,
    template_id: template,
    user: { customer_reference: customerReference, email: 'ada@example.com' },
  });
}

describe("the emulator's API subset", () => {
  it('creates a session with 201, then answers the same one with 200', async () => {
    const first = await call('POST', '/flow_sessions?idempotent=true', createBody('ada'));
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      object: 'flow_session',
      status: 'active',
      customer_reference: 'ada',
      template_id: templateId,
      _meta: 'This API format is not v1.0 and is subject to change.',
    });
    expect(first.json.id).toMatch(/^flwses_[A-Za-z0-9]{14}$/);
    expect(first.json.shareable_url).toBe(`${emulator.apiBaseUrl}/hosted/${first.json.id}`);
    expect(new Date(first.json.created_at).toISOString()).toBe(first.json.created_at);
    expect(first.json.steps).toStrictEqual([
      { name: 'accept_tos', status: 'pending' },
      { name: 'verify_sms', status: 'pending' },
      { name: 'kyc_check', status: 'pending' },
    ]);

    const again = await call('POST', '/flow_sessions?idempotent=true', createBody('ada'));
    expect(again.status).toBe(200);
    expect(again.json).toStrictEqual(first.json);
    const other = await call('POST', '/flow_sessions?idempotent=true', createBody('grace'));
    expect(other.status).toBe(201);
    expect(other.json.id).not.toBe(first.json.id);
  });

  it('reads a session with GET, and its status follows the verification', async () => {
    const created = await call('POST', '/flow_sessions?idempotent=true', createBody('linus'));
    const path = `/flow_sessions/${created.json.id}`;
    expect((await call('GET', path)).json.status).toBe('active');
    await emulator.pass('linus');
    const read = await call('GET', path);
    expect(read.status).toBe(200);
    expect(read.json.status).toBe('success');
    expect(read.json.steps.every((s) => s.status === 'completed')).toBe(true);
  });

  it('answers 404 with an errors array for an unknown session', async () => {
    const missing = await call('GET', '/flow_sessions/flwses_doesnotexist00');
    expect(missing.status).toBe(404);
    expect(missing.json.errors[0].code).toBe('not_found');
    expect(typeof missing.json.errors[0].message).toBe('string');
  });

  it('refuses badly signed requests with 401 and an errors array, and creates nothing', async () => {
    const before = emulator.sessions.length;
    const body = createBody('mallory');
    const cases = [
      await call('POST', '/flow_sessions?idempotent=true', body, { secret: generateSecret() }),
      await call('POST', '/flow_sessions?idempotent=true', body, { keyId: 'sandbox_key_other' }),
      // Signed without the query: the request target differs.
      await call('POST', '/flow_sessions?idempotent=true', body, { path: '/flow_sessions' }),
      await call('GET', '/flow_sessions/flwses_doesnotexist00', '', { secret: generateSecret() }),
    ];
    expect(cases.map((c) => [c.status, c.json.errors[0].code])).toStrictEqual([
      [401, 'bad_signature'],
      [401, 'unknown_key_id'],
      [401, 'bad_signature'],
      [401, 'bad_signature'],
    ]);
    const unsigned = await fetch(`${emulator.apiBaseUrl}/flow_sessions?idempotent=true`, {
      method: 'POST',
      body,
    });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { errors: Array<{ code: string }> }).errors[0].code).toBe(
      'missing_authorization',
    );
    expect(emulator.sessions).toHaveLength(before);
  });

  it('answers 422 for a body it cannot use', async () => {
    const bodies = [
      'not json',
      '[]',
      JSON.stringify({ template_id: templateId }),
      createBody('ada', 'flwtmp_unknown'),
      createBody(''),
      createBody('line\nbreak'),
      JSON.stringify({ template_id: templateId, user: { customer_reference: 'x', email: 7 } }),
    ];
    for (const body of bodies) {
      const answer = await call('POST', '/flow_sessions?idempotent=true', body);
      expect(answer.status, body).toBe(422);
      expect(answer.json.errors).toHaveLength(1);
    }
  });

  it('never shows the secret: not in its state, its pages, nor inspect()', async () => {
    const texts = await Promise.all(
      ['/', '/flow.js', '/emulator/state'].map((path) =>
        fetch(`${emulator.apiBaseUrl}${path}`).then((r) => r.text()),
      ),
    );
    for (const text of [...texts, inspect(emulator, { depth: 5 }), JSON.stringify(emulator.keys)])
      expect(text).not.toContain(secret);
    expect(emulator.keys.apiSecret).toBe(secret);
  });
});
