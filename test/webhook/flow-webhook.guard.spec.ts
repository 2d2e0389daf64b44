import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signFlowWebhook } from '../../lib/testing/index.js';
import {
  WEBHOOK_PLATFORMS,
  received,
  startWebhookApp,
  type WebhookApp,
} from '../support/flow-webhook-app.js';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { rawHttpRequest } from '../support/raw-http.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const previousSecret = generateSecret();
const unlistedSecret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
const PATH = '/webhook_receivers/flow';
const GENERIC_401 = { statusCode: 401, message: 'Unauthorized' };

describe.each(WEBHOOK_PLATFORMS.map(([name]) => name))('FlowWebhookGuard on %s', (platform) => {
  let host: WebhookApp;
  const responses: string[] = [];

  async function post(
    body: string | Buffer,
    headers: Record<string, string>,
    path = PATH,
  ): Promise<{ status: number; json: unknown }> {
    // fetch computes Content-Length from the bytes it sends (a tampered body may differ in length).
    const { 'content-length': _length, ...sent } = headers;
    const response = await fetch(`${host.baseUrl}${path}`, { method: 'POST', headers: sent, body });
    const text = await response.text();
    responses.push(text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, json };
  }

  beforeAll(async () => {
    host = await startWebhookApp(platform, {
      apiSecret: secret,
      previousApiSecrets: [previousSecret],
      apiKey,
      webhook: { maxBodyBytes: 64 * 1024 },
    });
  });
  afterAll(async () => {
    await host.app.close();
  });
  beforeEach(() => {
    received.length = 0;
  });

  it('a valid delivery reaches the host handler with the typed event', async () => {
    const body = flowEventBody({ id: 'whkevt_valid' });
    const { status, json } = await post(
      body,
      signFlowWebhook({ secret, apiKey, path: PATH, body }),
    );
    expect(status).toBe(200);
    expect(json).toEqual({ received: 'whkevt_valid' });
    expect(received).toHaveLength(1);
    expect(received[0].event).toEqual(JSON.parse(body));
    expect(received[0].event.data.customer_reference).toBe('user-1');
  });

  it('rotation: a delivery signed with a listed previous secret is accepted, an unlisted one is not', async () => {
    const body = flowEventBody({ id: 'whkevt_rotated' });
    expect(
      (await post(body, testHeaders({ secret: previousSecret, keyId: apiKey, body }))).status,
    ).toBe(200);
    expect(received.map((r) => r.event.id)).toEqual(['whkevt_rotated']);
    expect(await post(body, testHeaders({ secret: unlistedSecret, keyId: apiKey, body }))).toEqual({
      status: 401,
      json: GENERIC_401,
    });
  });

  it.each([
    [
      'a tampered body',
      () => ({
        body: flowEventBody({ id: 'whkevt_tampered' }),
        headers: testHeaders({ secret, keyId: apiKey }),
      }),
    ],
    [
      'a wrong secret',
      () => ({
        body: flowEventBody(),
        headers: testHeaders({ secret: unlistedSecret, keyId: apiKey }),
      }),
    ],
    [
      'a stale Date',
      () => ({
        body: flowEventBody(),
        headers: testHeaders({ secret, keyId: apiKey, date: new Date(Date.now() - 16 * 60_000) }),
      }),
    ],
    [
      'a future Date',
      () => ({
        body: flowEventBody(),
        headers: testHeaders({ secret, keyId: apiKey, date: new Date(Date.now() + 16 * 60_000) }),
      }),
    ],
    [
      'an unknown keyId',
      () => ({
        body: flowEventBody(),
        headers: testHeaders({ secret, keyId: 'sandbox_key_ffffffffffffffffffffffffffffffff' }),
      }),
    ],
    [
      'no Authorization',
      () => {
        const { authorization, ...headers } = testHeaders({ secret, keyId: apiKey });
        return { body: flowEventBody(), headers };
      },
    ],
    [
      'another path',
      () => ({
        body: flowEventBody(),
        headers: testHeaders({ secret, keyId: apiKey, url: '/other' }),
      }),
    ],
  ])('%s is refused with 401 and a generic body', async (_name, make) => {
    const { body, headers } = make();
    expect(await post(body, headers)).toEqual({ status: 401, json: GENERIC_401 });
    expect(received).toHaveLength(0);
  });

  it('a duplicated Authorization, Date or Digest header (really sent twice) is refused with 401', async () => {
    const body = flowEventBody();
    const headers = testHeaders({ secret, keyId: apiKey, body });
    const head = [
      `POST ${PATH} HTTP/1.1`,
      `Date: ${headers.date}`,
      `Digest: ${headers.digest}`,
      'Content-Type: application/json',
    ];
    const valid = await rawHttpRequest(
      host.port,
      [...head, `Authorization: ${headers.authorization}`],
      body,
    );
    expect(valid.status).toBe(200);
    for (const second of [headers.authorization, 'Bearer x']) {
      const response = await rawHttpRequest(
        host.port,
        [...head, `Authorization: ${headers.authorization}`, `Authorization: ${second}`],
        body,
      );
      responses.push(response.body);
      expect(response.status).toBe(401);
    }
    // Node joins a repeated Date or Digest into one string; the guard sees both copies and refuses.
    const auth = `Authorization: ${headers.authorization}`;
    const repeats = [
      [
        `POST ${PATH} HTTP/1.1`,
        `Date: ${headers.date}`,
        `Date: ${headers.date}`,
        `Digest: ${headers.digest}`,
        'Content-Type: application/json',
        auth,
      ],
      [
        `POST ${PATH} HTTP/1.1`,
        `Date: ${headers.date}`,
        `Digest: ${headers.digest}`,
        `Digest: ${headers.digest}`,
        'Content-Type: application/json',
        auth,
      ],
    ];
    for (const head of repeats)
      expect((await rawHttpRequest(host.port, head, body)).status).toBe(401);
    expect(received).toHaveLength(1);
  });

  it('a gzip body is refused, never hashed', async () => {
    const text = flowEventBody();
    const headers = {
      ...testHeaders({ secret, keyId: apiKey, body: text }),
      'content-encoding': 'gzip',
    };
    const { status } = await post(gzipSync(text), headers);
    // Express inflates the body and the guard answers 415; Fastify does not inflate and its own
    // JSON parser refuses the compressed bytes (400) before any guard runs.
    expect(status).toBe(platform === 'express' ? 415 : 400);
    expect(received).toHaveLength(0);
  });

  it('a body that is not JSON gets 415', async () => {
    const headers = { ...testHeaders({ secret, keyId: apiKey }), 'content-type': 'text/plain' };
    expect((await post(flowEventBody(), headers)).status).toBe(415);
  });

  it('a signed body that is not a Flow event gets 400', async () => {
    const body = JSON.stringify({ hello: 'world' });
    expect(await post(body, testHeaders({ secret, keyId: apiKey, body }))).toEqual({
      status: 400,
      json: { statusCode: 400, message: 'Bad Request' },
    });
  });

  it('a body over webhook.maxBodyBytes gets 413 from the guard, one over the platform limit 413 from the platform', async () => {
    const body = flowEventBody({ padding: 'x'.repeat(70 * 1024) });
    expect(await post(body, testHeaders({ secret, keyId: apiKey, body }))).toEqual({
      status: 413,
      json: { statusCode: 413, message: 'Payload Too Large' },
    });
    const huge = flowEventBody({ padding: 'x'.repeat(1100 * 1024) });
    expect((await post(huge, testHeaders({ secret, keyId: apiKey, body: huge }))).status).toBe(413);
    expect(received).toHaveLength(0);
  });

  it('refusals are logged at warn with reason and path, and no log line or response holds a secret', () => {
    const warnings = host.logger.lines
      .filter((line) => line.level === 'warn')
      .map((line) => line.text);
    expect(
      warnings.some((text) => text.includes('bad_signature') && text.includes(`POST ${PATH}`)),
    ).toBe(true);
    expect(warnings.some((text) => text.includes('stale_date'))).toBe(true);
    expect(warnings.some((text) => text.includes('duplicate_authorization'))).toBe(true);
    expect(warnings.some((text) => text.includes('duplicate_date'))).toBe(true);
    expect(warnings.some((text) => text.includes('duplicate_digest'))).toBe(true);
    const everything = [...host.logger.lines.map((line) => line.text), ...responses];
    expect(responses.length).toBeGreaterThan(15);
    for (const text of everything) {
      for (const value of [secret, previousSecret, unlistedSecret])
        expect(text).not.toContain(value);
      expect(text).not.toMatch(/signature="[A-Za-z0-9+/]{43}=/);
    }
  });
});
