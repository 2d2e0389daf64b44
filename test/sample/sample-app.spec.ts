import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';
import { ALICE, BOB, getJson, logIn, startSample, type RunningSample } from './sample-test-app.js';

const PUBLISHABLE_KEY = 'sandbox_publishable_key_0123456789abcdef0123456789abcdef';
const TEMPLATE_ID = 'flwtmp_sampletemplate01';

function hmac(secret: string, reference: string): string {
  return createHmac('sha256', secret).update(reference, 'utf8').digest('base64');
}

/** An HS256 JWT made with node:crypto, independent of the sample's JwtService. */
function jwt(key: string, payload: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

describe('the sample app over HTTP (Express)', () => {
  const secret = generateSecret();
  const jwtKey = generateSecret('jwt');
  let sample: RunningSample;

  beforeAll(async () => {
    sample = await startSample({
      SAMPLE_JWT_SECRET: jwtKey,
      FLOW_API_SECRET: secret,
      FLOW_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
      FLOW_TEMPLATE_ID: TEMPLATE_ID,
    });
  });
  afterAll(() => sample?.close());

  /** Posts a signed status event for `customerReference` to the built-in receiver. */
  async function sendStatus(
    event: { id: string; timestamp: string; status: string; customerReference: string },
    signWith = secret,
  ) {
    const body = flowEventBody({
      id: event.id,
      timestamp: event.timestamp,
      data: {
        object: 'flow_session',
        id: 'flwses_sample00000001',
        status: event.status,
        step: null,
        customer_reference: event.customerReference,
      },
    });
    const headers = testHeaders({ secret: signWith, body, url: '/webhook_receivers/flow' });
    return fetch(`${sample.baseUrl}/webhook_receivers/flow`, { method: 'POST', headers, body });
  }

  describe('POST /api/auth/login', () => {
    it('answers an access token for the right password, naming the user by their fixed id', async () => {
      const token = await logIn(sample.baseUrl, ALICE);
      const part = (index: number): unknown =>
        JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8'));
      expect((part(1) as { sub: string }).sub).toBe(ALICE.id);
      expect((part(0) as { alg: string }).alg).toBe('HS256');
    });

    it.each([
      ['a wrong password', { username: 'alice', password: 'bob-password' }],
      ['an unknown user', { username: 'mallory', password: 'alice-password' }],
      ['a password of the wrong type', { username: 'alice', password: ['alice-password'] }],
      ['no fields', {}],
    ])('refuses %s with 401 and no token', async (_label, credentials) => {
      const response = await fetch(`${sample.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(credentials),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { accessToken?: string; message?: string };
      expect(body.accessToken).toBeUndefined();
      expect(body.message).toBe('Wrong user name or password.');
    });
  });

  describe('GET /api/users/current/flow_signature', () => {
    it('is refused without a token, with a malformed token and with a token signed by another key', async () => {
      const forged = [
        Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url'),
        Buffer.from(JSON.stringify({ sub: ALICE.id, username: 'alice' })).toString('base64url'),
      ].join('.');
      const forgedSignature = createHmac('sha256', 'not-the-sample-key')
        .update(forged)
        .digest('base64url');
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${forged.split('.')[1]}.`;
      for (const token of [undefined, 'garbage', `${forged}.${forgedSignature}`, unsigned]) {
        const answer = await getJson(sample.baseUrl, '/api/users/current/flow_signature', token);
        expect(answer.status).toBe(401);
        expect(answer.text).not.toContain('signature"');
      }
    });

    it('checks the token with the configured key, its expiry and its user', async () => {
      const now = Math.floor(Date.now() / 1000);
      const path = '/api/users/current/flow_signature';
      // Control: a token made in the test with the sample's key is accepted, so the refusals
      // below come from the expiry and the user, not from the token's making.
      const good = await getJson(
        sample.baseUrl,
        path,
        jwt(jwtKey, { sub: ALICE.id, username: 'alice', iat: now, exp: now + 60 }),
      );
      expect(good.status).toBe(200);
      expect(good.body.user.customerReference).toBe(ALICE.id);
      const expired = jwt(jwtKey, {
        sub: ALICE.id,
        username: 'alice',
        iat: now - 7200,
        exp: now - 3600,
      });
      expect((await getJson(sample.baseUrl, path, expired)).status).toBe(401);
      const stranger = jwt(jwtKey, {
        sub: 'f0000000-0000-4000-8000-000000000000',
        username: 'mallory',
        iat: now,
        exp: now + 60,
      });
      expect((await getJson(sample.baseUrl, path, stranger)).status).toBe(401);
    });

    it('answers alice exactly the Flow configuration signed for her own id', async () => {
      const token = await logIn(sample.baseUrl, ALICE);
      const answer = await getJson(sample.baseUrl, '/api/users/current/flow_signature', token);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.body).toStrictEqual({
        publishableKey: PUBLISHABLE_KEY,
        templateId: TEMPLATE_ID,
        user: { customerReference: ALICE.id, signature: hmac(secret, ALICE.id) },
      });
      expect(answer.text).not.toContain(secret);
    });

    it("signs bob's id for bob, whatever the query names", async () => {
      const token = await logIn(sample.baseUrl, BOB);
      const answer = await getJson(
        sample.baseUrl,
        `/api/users/current/flow_signature?customerReference=${ALICE.id}`,
        token,
      );
      expect(answer.status).toBe(200);
      expect(answer.body.user).toStrictEqual({
        customerReference: BOB.id,
        signature: hmac(secret, BOB.id),
      });
    });
  });

  describe('webhooks and GET /api/users/current/kyc', () => {
    it('starts with no status and an empty history, and needs a token', async () => {
      expect((await getJson(sample.baseUrl, '/api/users/current/kyc')).status).toBe(401);
      const token = await logIn(sample.baseUrl, BOB);
      const answer = await getJson(sample.baseUrl, '/api/users/current/kyc', token);
      expect(answer.body).toStrictEqual({ customerReference: BOB.id, status: null, history: [] });
    });

    it('applies each event once, however often it is delivered', async () => {
      const event = {
        id: 'whkevt_sampleonce0001',
        timestamp: '2026-03-01T10:00:00Z',
        status: 'pending_review',
        customerReference: ALICE.id,
      };
      for (let delivery = 0; delivery < 3; delivery += 1) {
        expect((await sendStatus(event)).status).toBe(200);
      }
      const token = await logIn(sample.baseUrl, ALICE);
      const answer = await getJson(sample.baseUrl, '/api/users/current/kyc', token);
      expect(answer.body.status).toBe('pending_review');
      expect(answer.body.history).toStrictEqual([
        {
          eventId: event.id,
          event: 'flow_session.status.updated',
          status: 'pending_review',
          at: event.timestamp,
        },
      ]);
    });

    it('keeps the status of the latest timestamp when deliveries arrive out of order', async () => {
      const newer = {
        id: 'whkevt_sampleorder002',
        timestamp: '2026-03-02T12:00:00Z',
        status: 'success',
        customerReference: ALICE.id,
      };
      const older = {
        id: 'whkevt_sampleorder001',
        timestamp: '2026-03-02T11:00:00Z',
        status: 'failed',
        customerReference: ALICE.id,
      };
      expect((await sendStatus(newer)).status).toBe(200);
      expect((await sendStatus(older)).status).toBe(200);
      const token = await logIn(sample.baseUrl, ALICE);
      const answer = await getJson(sample.baseUrl, '/api/users/current/kyc', token);
      expect(answer.body.status).toBe('success');
      expect(answer.body.history.map((entry: { eventId: string }) => entry.eventId)).toStrictEqual([
        'whkevt_sampleonce0001',
        newer.id,
        older.id,
      ]);
      // Bob's record is his own: alice's events never show there.
      const bob = await getJson(
        sample.baseUrl,
        '/api/users/current/kyc',
        await logIn(sample.baseUrl, BOB),
      );
      expect(bob.body.history).toStrictEqual([]);
    });

    it('refuses a delivery signed with another secret and applies nothing', async () => {
      const event = {
        id: 'whkevt_sampleforged01',
        timestamp: '2030-01-01T00:00:00Z',
        status: 'failed',
        customerReference: ALICE.id,
      };
      expect((await sendStatus(event, generateSecret())).status).toBe(401);
      const answer = await getJson(
        sample.baseUrl,
        '/api/users/current/kyc',
        await logIn(sample.baseUrl, ALICE),
      );
      expect(answer.body.status).toBe('success');
      expect(answer.body.history.map((entry: { eventId: string }) => entry.eventId)).not.toContain(
        event.id,
      );
    });

    it('serves the receiver outside the api prefix, as Cognito posts it', async () => {
      const body = flowEventBody({ id: 'whkevt_sampleprefix01' });
      const headers = testHeaders({ secret, body, url: '/api/webhook_receivers/flow' });
      const response = await fetch(`${sample.baseUrl}/api/webhook_receivers/flow`, {
        method: 'POST',
        headers,
        body,
      });
      expect(response.status).toBe(404);
    });
  });

  describe('the page', () => {
    it('serves the page, its script and its settings, with no secret in any of them', async () => {
      const page = await fetch(`${sample.baseUrl}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain('id="kyc-status"');
      const script = await fetch(`${sample.baseUrl}/app.js`);
      expect(script.headers.get('content-type')).toContain('javascript');
      const settings = await getJson(sample.baseUrl, '/api/sample/config');
      expect(settings.body).toStrictEqual({
        flowScriptUrl: 'https://cdn.cognitohq.com/flow.js',
        placeholders: { publishableKey: false, templateId: false },
        webhookPath: '/webhook_receivers/flow',
        devSecretInUse: false,
        secretFileArgument: null,
        emulatorUrl: null,
      });
      for (const text of [html, await script.text(), settings.text])
        expect(text).not.toContain(secret);
    });

    it("answers /favicon.ico with 204 (the page's icon is inline), not 404", async () => {
      const icon = await fetch(`${sample.baseUrl}/favicon.ico`);
      expect(icon.status).toBe(204);
      expect(await icon.text()).toBe('');
      const html = await (await fetch(`${sample.baseUrl}/`)).text();
      expect(html).toMatch(
        /<link\s+rel="icon"\s+type="image\/svg\+xml"\s+href="data:image\/svg\+xml,/,
      );
    });
  });
});
