import httpSignature from 'http-signature';
import { describe, expect, it } from 'vitest';
import {
  createFlowRequestSigner,
  signFlowRequest,
} from '../../lib/http-signature/sign-flow-request.js';
import { FlowVerificationError, createFlowRequestVerifier } from '../../lib/protocol/index.js';
import { EXAMPLE_SECRET, EXAMPLE_WEBHOOK, SECTION4 } from '../fixtures/flow-protocol.js';

const API_KEY = 'live_key_0123456789abcdef0123456789abcdef';

function signatureOf(authorization: string): string | undefined {
  return /signature="([^"]*)"/.exec(authorization)?.[1];
}

describe('signFlowRequest: the one signer of the scheme', () => {
  it("reproduces the documented webhook delivery's Digest, signature and Authorization", () => {
    const headers = signFlowRequest({
      secret: EXAMPLE_SECRET,
      keyId: EXAMPLE_WEBHOOK.keyId,
      method: EXAMPLE_WEBHOOK.method,
      path: EXAMPLE_WEBHOOK.path,
      body: EXAMPLE_WEBHOOK.body,
      date: EXAMPLE_WEBHOOK.date,
    });
    expect(headers).toEqual({
      date: EXAMPLE_WEBHOOK.date,
      digest: EXAMPLE_WEBHOOK.digest,
      authorization: EXAMPLE_WEBHOOK.authorization,
    });
  });

  it.each(SECTION4.cases)(
    'reproduces the section 4 signature for $requestTarget (path with its query)',
    ({ requestTarget, date, signature }) => {
      const path = requestTarget.slice('post '.length);
      const sign = createFlowRequestSigner({ secret: SECTION4.secret, keyId: 'k' });
      const headers = sign({ method: 'POST', path, body: SECTION4.body, date });
      expect(headers.digest).toBe(SECTION4.digest);
      expect(signatureOf(headers.authorization)).toBe(signature);
    },
  );

  it('signs a GET over the digest of the empty body', () => {
    const headers = signFlowRequest({
      secret: SECTION4.secret,
      keyId: 'k',
      method: 'GET',
      path: '/flow_sessions/flwses_1',
      body: '',
    });
    expect(headers.digest).toBe(SECTION4.emptyBodyDigest);
  });

  it('refuses a keyId that would break out of its quotes, a bad path, method or Date', () => {
    expect(() => createFlowRequestSigner({ secret: 's', keyId: 'a"b' })).toThrow(TypeError);
    expect(() => createFlowRequestSigner({ secret: '', keyId: 'k' })).toThrow(TypeError);
    const sign = createFlowRequestSigner({ secret: 's', keyId: 'k' });
    expect(() => sign({ method: 'POST', path: 'x', body: '' })).toThrow(/path/);
    expect(() => sign({ method: 'PO ST', path: '/x', body: '' })).toThrow(/method/);
    expect(() => sign({ method: 'GET', path: '/x', body: '', date: new Date(NaN) })).toThrow(
      /Date/,
    );
  });
});

describe('createFlowRequestVerifier: any signed request, webhook or API call', () => {
  const verify = createFlowRequestVerifier({ secrets: [EXAMPLE_SECRET], apiKeys: [API_KEY] });
  const sign = createFlowRequestSigner({ secret: EXAMPLE_SECRET, keyId: API_KEY });

  function request(method: string, url: string, body: string, headers: Record<string, string>) {
    return { method, url, headers, rawBody: Buffer.from(body) };
  }

  it('accepts a signed GET with an empty body and a signed POST with a query, and names the key', () => {
    const get = sign({ method: 'GET', path: '/flow_sessions/flwses_123', body: '' });
    expect(verify(request('GET', '/flow_sessions/flwses_123', '', get))).toEqual({
      keyId: API_KEY,
    });
    const body = '{"shareable":true}';
    const post = sign({ method: 'POST', path: '/flow_sessions?idempotent=true', body });
    expect(verify(request('POST', '/flow_sessions?idempotent=true', body, post)).keyId).toBe(
      API_KEY,
    );
  });

  it('agrees with the http-signature reference library on what it signs', () => {
    const headers = sign({ method: 'GET', path: '/flow_sessions/flwses_9?x=1', body: '' });
    const parsed = httpSignature.parseRequest(
      { method: 'GET', url: '/flow_sessions/flwses_9?x=1', httpVersion: '1.1', headers },
      { clockSkew: 900 },
    );
    expect(httpSignature.verifyHMAC(parsed, EXAMPLE_SECRET)).toBe(true);
  });

  it.each([
    ['another path', 'GET', '/flow_sessions/flwses_124', ''],
    ['another query', 'GET', '/flow_sessions/flwses_123?a=1', ''],
    ['another method', 'DELETE', '/flow_sessions/flwses_123', ''],
    ['a body', 'GET', '/flow_sessions/flwses_123', '{}'],
  ])('refuses the signed GET replayed with %s', (_label, method, url, body) => {
    const headers = sign({ method: 'GET', path: '/flow_sessions/flwses_123', body: '' });
    expect(() => verify(request(method, url, body, headers))).toThrow(FlowVerificationError);
  });

  it('refuses an unknown key id and a missing raw body', () => {
    const other = createFlowRequestSigner({ secret: EXAMPLE_SECRET, keyId: 'live_key_other' });
    const headers = other({ method: 'GET', path: '/x', body: '' });
    expect(() => verify(request('GET', '/x', '', headers))).toThrow(/unknown_key_id/);
    const ok = sign({ method: 'GET', path: '/x', body: '' });
    expect(() => verify({ method: 'GET', url: '/x', headers: ok, rawBody: undefined })).toThrow(
      /missing_raw_body/,
    );
  });
});
