import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFlowWebhookVerifier } from '../../lib/protocol/index.js';
import { flowWebhookBodyBytes, signFlowWebhook } from '../../lib/testing/index.js';
import { SECTION4 } from '../fixtures/flow-protocol.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const sign = (text: string) => createHmac('sha256', secret).update(text).digest('base64');
const digest = (bytes: Buffer | string) =>
  `SHA-256=${createHash('sha256').update(bytes).digest('base64')}`;

describe('signFlowWebhook', () => {
  it('signs an object body as its JSON text, with every header Cognito sends', () => {
    const body = {
      id: 'whkevt_1',
      event: 'flow_session.retried',
      data: { object: 'flow_session', note: 'ünïcode' },
    };
    const date = new Date('2026-02-03T04:05:06.789Z');
    const headers = signFlowWebhook({
      secret,
      apiKey: 'sandbox_key_abc',
      path: '/hooks/flow?x=1',
      body,
      date,
    });
    const text = JSON.stringify(body);
    expect(headers.date).toBe('Tue, 03 Feb 2026 04:05:06 GMT');
    expect(headers.digest).toBe(digest(text));
    // The client computes Content-Length from what it sends: a signed one could go stale.
    expect(Object.keys(headers)).not.toContain('content-length');
    expect(headers['content-type']).toBe('application/json');
    expect(headers.accept).toBe('application/json');
    expect(headers['cognito-version']).toBe('2020-08-14');
    const expected = sign(
      `(request-target): post /hooks/flow?x=1\ndate: ${headers.date}\ndigest: ${headers.digest}`,
    );
    expect(headers.authorization).toBe(
      `Signature keyId="sandbox_key_abc",algorithm="hmac-sha256",headers="(request-target) date digest",signature="${expected}"`,
    );
    const verify = createFlowWebhookVerifier({
      secrets: [secret],
      apiKeys: ['sandbox_key_abc'],
      now: () => date,
    });
    expect(
      verify({
        method: 'POST',
        url: '/hooks/flow?x=1',
        headers,
        rawBody: flowWebhookBodyBytes(body),
      }),
    ).toEqual(body);
  });

  it('signs strings and Buffers byte for byte, and honours the method', () => {
    const bytes = Buffer.from([0x7b, 0x7d, 0x0a]);
    const headers = signFlowWebhook({
      secret,
      method: 'PUT',
      path: '/a',
      body: bytes,
      date: SECTION4.cases[0].date,
    });
    expect(headers.digest).toBe(digest(bytes));
    expect(headers.authorization).toContain(
      sign(`(request-target): put /a\ndate: ${SECTION4.cases[0].date}\ndigest: ${digest(bytes)}`),
    );
    expect(signFlowWebhook({ secret, path: '/a', body: ' {}' }).digest).toBe(digest(' {}'));
  });

  it('defaults to now and to a key id of the secret environment', () => {
    const before = Date.now();
    const headers = signFlowWebhook({ secret, path: '/a', body: {} });
    expect(Math.abs(Date.parse(headers.date) - before)).toBeLessThan(5000);
    expect(headers.authorization).toContain('keyId="sandbox_key_00000000000000000000000000000000"');
  });

  it('refuses an empty secret, a path without a leading slash or an invalid Date', () => {
    expect(() => signFlowWebhook({ secret: '', path: '/a', body: {} })).toThrow(TypeError);
    expect(() => signFlowWebhook({ secret, path: 'a', body: {} })).toThrow(TypeError);
    // An invalid Date would otherwise be sent as the header `Date: Invalid Date`.
    expect(() =>
      signFlowWebhook({ secret, path: '/a', body: {}, date: new Date(Number.NaN) }),
    ).toThrow(TypeError);
  });
});
