import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signFlowRequest } from '../../lib/index.js';
import {
  DEFAULT_EMULATOR_IDENTITY,
  startFlowEmulator,
  type FlowEmulator,
  type FlowEmulatorSession,
} from '../../lib/testing/index.js';
import { DOCUMENTED_SESSION } from '../fixtures/flow-session-example.js';
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
  sent: Record<string, string> = {},
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
      Accept: 'application/vnd.api+json',
      ...(body ? { 'Content-Type': 'application/vnd.api+json' } : {}),
      ...sent,
    },
    body: method === 'POST' ? body : undefined,
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    json: (await response.json()) as ApiAnswer,
  };
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
    expect(first.type).toBe('application/vnd.api+json');
    // The documented session's fields (FLOW-PROTOCOL §6), in its shape, for an active session.
    expect(Object.keys(first.json).sort()).toStrictEqual(Object.keys(DOCUMENTED_SESSION).sort());
    expect(first.json).toMatchObject({
      status: 'active',
      customer_reference: 'ada',
      completed_at: null,
      previous_session_id: null,
      screening_id: null,
      template: { id: templateId, version: 1 },
      kyc_check: null,
      documentary_verification: null,
      _meta: 'This API format is not v1.0 and is subject to change.',
    });
    expect(first.json.id).toMatch(/^flwses_[A-Za-z0-9]{14}$/);
    expect(first.json.shareable_url).toMatch(
      new RegExp(`^${emulator.apiBaseUrl}/verify/${templateId}\\?key=[0-9a-f]{64}$`),
    );
    expect(first.json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(first.json.steps).toStrictEqual({
      accept_tos: 'active',
      verify_sms: 'waiting_for_prerequisite',
      kyc_check: 'waiting_for_prerequisite',
      documentary_verification: 'not_applicable',
      selfie_check: 'not_applicable',
      screening: 'not_applicable',
      risk_check: 'not_applicable',
      kyc_screen: 'not_applicable',
    });
    // Nothing given yet but the e-mail of the create call.
    expect(first.json.user).toStrictEqual({
      name: null,
      email: 'ada@example.com',
      phone: null,
      address: null,
      id_number: null,
      ip_address: null,
      date_of_birth: null,
    });

    const again = await call('POST', '/flow_sessions?idempotent=true', createBody('ada'));
    expect(again.status).toBe(200);
    expect(again.json).toStrictEqual(first.json);
    const other = await call('POST', '/flow_sessions?idempotent=true', createBody('grace'));
    expect(other.status).toBe(201);
    expect(other.json.id).not.toBe(first.json.id);
  });

  it('without idempotent=true creates a new session on every call, the latest being current', async () => {
    const first = await call('POST', '/flow_sessions', createBody('noidem'));
    const second = await call('POST', '/flow_sessions', createBody('noidem'));
    expect([first.status, second.status]).toStrictEqual([201, 201]);
    expect(second.json.id).not.toBe(first.json.id);
    const idempotent = await call('POST', '/flow_sessions?idempotent=true', createBody('noidem'));
    expect([idempotent.status, idempotent.json.id]).toStrictEqual([200, second.json.id]);
  });

  it('reads a session with GET, and its data fill in as the steps pass', async () => {
    const created = await call('POST', '/flow_sessions?idempotent=true', createBody('linus'));
    const path = `/flow_sessions/${created.json.id}`;
    expect((await call('GET', path)).json.status).toBe('active');
    await emulator.pass('linus');
    const read = await call('GET', path);
    expect(read.status).toBe(200);
    expect(read.json.status).toBe('success');
    expect(read.json.completed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(read.json.steps).toMatchObject({
      accept_tos: 'success',
      verify_sms: 'success',
      kyc_check: 'success',
    });
    expect(read.json.kyc_check?.status).toBe('success');
    expect(read.json.kyc_check?.id_number).toStrictEqual({ summary: 'match' });
    expect(read.json.user.id_number).toStrictEqual(DEFAULT_EMULATOR_IDENTITY.id_number);
    expect(read.json.user.email).toBe('ada@example.com');
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
