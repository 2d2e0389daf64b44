import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createFlowWebhookVerifier } from '../../lib/protocol/index.js';
import { signFlowWebhook } from '../../lib/testing/index.js';
import { flowEventBody, reasonOf, testDigest } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';

// The draft's reference implementation (CommonJS, untyped).
const httpSignature = createRequire(import.meta.url)('http-signature') as {
  sign(request: unknown, options: Record<string, unknown>): boolean;
  parseRequest(request: unknown, options?: Record<string, unknown>): unknown;
  verifyHMAC(parsed: unknown, secret: string): boolean;
};

const secret = generateSecret();
const keyId = 'sandbox_key_0123456789abcdef0123456789abcdef';
const verify = createFlowWebhookVerifier({ secrets: [secret], apiKeys: [keyId] });

const segment = fc.string({
  unit: fc.constantFrom(...'abcxyz0189-._~%'),
  minLength: 1,
  maxLength: 10,
});
const target = fc
  .tuple(
    fc.array(segment, { minLength: 1, maxLength: 3 }),
    fc.option(fc.string({ unit: fc.constantFrom(...'ab=&%20'), maxLength: 12 }), {
      nil: undefined,
    }),
  )
  .map(([parts, query]) => `/${parts.join('/')}${query === undefined ? '' : `?${query}`}`);
const body = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 30 }),
    ref: fc.string({ unit: 'grapheme', maxLength: 30 }),
  })
  .map(({ id, ref }) =>
    flowEventBody({
      id,
      data: {
        object: 'flow_session',
        id: 'flwses_1',
        status: 'success',
        step: null,
        customer_reference: ref,
      },
    }),
  );

/** A stand-in for http.ClientRequest that records the headers http-signature sets. */
function clientRequest(path: string, headers: Record<string, string>) {
  const store = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: 'POST',
    path,
    getHeader: (name: string) => store.get(name.toLowerCase()),
    setHeader: (name: string, value: string) => store.set(name.toLowerCase(), value),
    headers: store,
  };
}

describe('differential test against http-signature, the draft reference', () => {
  it('requests http-signature signs with hmac-sha256 over (request-target) date digest verify here', () => {
    fc.assert(
      fc.property(target, body, (path, text) => {
        const request = clientRequest(path, {
          date: new Date().toUTCString(),
          digest: testDigest(text),
          'content-type': 'application/json',
        });
        httpSignature.sign(request, {
          key: secret,
          keyId,
          algorithm: 'hmac-sha256',
          headers: ['(request-target)', 'date', 'digest'],
        });
        const headers = Object.fromEntries(request.headers);
        expect(headers.authorization).toMatch(/^Signature /);
        expect(verify({ method: 'POST', url: path, headers, rawBody: Buffer.from(text) }).id).toBe(
          (JSON.parse(text) as { id: string }).id,
        );
        // And its signature under another secret is refused here.
        const forged = clientRequest(path, {
          date: headers.date,
          digest: headers.digest,
          'content-type': 'application/json',
        });
        httpSignature.sign(forged, {
          key: generateSecret(),
          keyId,
          algorithm: 'hmac-sha256',
          headers: ['(request-target)', 'date', 'digest'],
        });
        expect(
          reasonOf(() =>
            verify({
              method: 'POST',
              url: path,
              headers: Object.fromEntries(forged.headers),
              rawBody: Buffer.from(text),
            }),
          ),
        ).toBe('bad_signature');
      }),
      { numRuns: 200 },
    );
  });

  it('requests signFlowWebhook signs verify with http-signature, and tampered ones do not', () => {
    fc.assert(
      fc.property(target, body, (path, text) => {
        const headers = signFlowWebhook({ secret, apiKey: keyId, path, body: text });
        const incoming = { method: 'POST', url: path, httpVersion: '1.1', headers };
        const parsed = httpSignature.parseRequest(incoming, { strict: true, clockSkew: 60 }) as {
          keyId: string;
          algorithm: string;
        };
        expect(parsed.keyId).toBe(keyId);
        expect(parsed.algorithm).toBe('HMAC-SHA256');
        expect(httpSignature.verifyHMAC(parsed, secret)).toBe(true);
        expect(httpSignature.verifyHMAC(parsed, generateSecret())).toBe(false);
        const moved = httpSignature.parseRequest(
          { ...incoming, url: `${path}x` },
          { strict: true, clockSkew: 60 },
        );
        expect(httpSignature.verifyHMAC(moved, secret)).toBe(false);
        expect(verify({ method: 'POST', url: path, headers, rawBody: Buffer.from(text) }).id).toBe(
          (JSON.parse(text) as { id: string }).id,
        );
      }),
      { numRuns: 200 },
    );
  });
});
