import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFlowWebhookVerifier, type FlowSignedRequest } from '../../lib/protocol/index.js';
import { reasonOf, testRequest } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const keyId = 'sandbox_key_0123456789abcdef0123456789abcdef';
const now = new Date('2026-05-06T07:08:09Z');
const TOLERANCE = 900;
const verify = createFlowWebhookVerifier({
  secrets: [generateSecret(), secret],
  apiKeys: [keyId],
  now: () => now,
  toleranceSeconds: TOLERANCE,
});

const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const eventBody = fc.record({
  id: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((id) => id.length <= 128),
  timestamp: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  event: fc.oneof(
    fc.constantFrom(
      'flow_session.step.updated',
      'flow_session.status.updated',
      'flow_session.retried',
    ),
    text,
  ),
  environment: fc.oneof(fc.constantFrom('live', 'sandbox'), text),
  data: fc.record({
    object: fc.constant('flow_session'),
    id: text,
    status: fc.oneof(
      fc.constantFrom('active', 'success', 'failed', 'expired', 'canceled', 'pending_review'),
      text,
    ),
    step: fc.oneof(
      fc.constant(null),
      fc.constantFrom('accept_tos', 'kyc_check', 'selfie_check'),
      text,
    ),
    customer_reference: text,
    extra: fc.jsonValue(),
  }),
});
const pathChars = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-._~%!$&'()*+,;=:@";
const segment = fc.string({ unit: fc.constantFrom(...pathChars), minLength: 1, maxLength: 12 });
const path = fc
  .array(segment, { minLength: 1, maxLength: 4 })
  .map((parts) => `/${parts.join('/')}`);
const query = fc.option(
  fc.string({ unit: fc.constantFrom(...pathChars, '/', '?', '='), maxLength: 20 }),
  { nil: undefined },
);
const offset = fc.integer({ min: -TOLERANCE, max: TOLERANCE });
const delivery = fc.record({ body: eventBody, path, query, offset });

function requestFor(d: {
  body: unknown;
  path: string;
  query?: string;
  offset: number;
}): FlowSignedRequest {
  return testRequest({
    secret,
    keyId,
    url: d.query === undefined ? d.path : `${d.path}?${d.query}`,
    date: new Date(now.getTime() + d.offset * 1000),
    body: JSON.stringify(d.body),
  });
}

function changeByte(value: string, index: number, replacement: number): string {
  const bytes = Buffer.from(value, 'latin1');
  const i = index % bytes.length;
  bytes[i] = bytes[i] === replacement ? (replacement + 1) % 256 : replacement;
  return bytes.toString('latin1');
}

describe('verifier properties', () => {
  it('sign → verify round-trips any Flow event, path, query and Date in the window', () => {
    fc.assert(
      fc.property(delivery, (d) => {
        expect(verify(requestFor(d))).toEqual(JSON.parse(JSON.stringify(d.body)));
      }),
      { numRuns: 300 },
    );
  });

  it('any single-byte change to method, path, query, Date, Digest, body, signature or keyId is refused', () => {
    const field = fc.constantFrom(
      'method',
      'path',
      'query',
      'date',
      'digest',
      'body',
      'signature',
      'keyId',
    );
    fc.assert(
      fc.property(
        delivery,
        field,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (d, which, index, byte) => {
          const request = requestFor({ ...d, query: d.query ?? 'q=1' });
          const headers = { ...request.headers } as Record<string, string>;
          let changed: FlowSignedRequest;
          if (which === 'method')
            changed = { ...request, method: changeByte(request.method, index, byte) };
          else if (which === 'path') {
            const q = request.url.indexOf('?');
            changed = {
              ...request,
              url: changeByte(request.url.slice(0, q), index, byte) + request.url.slice(q),
            };
          } else if (which === 'query') {
            const q = request.url.indexOf('?');
            changed = {
              ...request,
              url:
                request.url.slice(0, q + 1) +
                changeByte(request.url.slice(q + 1) || 'x', index, byte),
            };
            fc.pre(changed.url !== request.url);
          } else if (which === 'body') {
            const body = Buffer.from(request.rawBody!);
            const i = index % body.length;
            body[i] = body[i] === byte ? (byte + 1) % 256 : byte;
            changed = { ...request, rawBody: body };
          } else {
            const auth = headers.authorization;
            const param = which === 'signature' ? 'signature="' : 'keyId="';
            const start = auth.indexOf(param) + param.length;
            const end = auth.indexOf('"', start);
            const part = auth.slice(start, end);
            if (which === 'date' || which === 'digest')
              headers[which] = changeByte(headers[which], index, byte);
            else
              headers.authorization =
                auth.slice(0, start) + changeByte(part, index, byte) + auth.slice(end);
            changed = { ...request, headers };
          }
          expect(reasonOf(() => verify(changed))).not.toBe('accepted');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the window edges: ±tolerance pass, ±(tolerance + 1 s) fail, with the right reason', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 * 86400 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (tolerance, seconds) => {
          const sent = new Date(Date.UTC(2020, 0, 1) + seconds * 1000);
          const request = testRequest({ secret, keyId, date: sent });
          const at = (deltaSeconds: number) =>
            createFlowWebhookVerifier({
              secrets: [secret],
              toleranceSeconds: tolerance,
              now: () => new Date(sent.getTime() + deltaSeconds * 1000),
            });
          expect(reasonOf(() => at(tolerance)(request))).toBe('accepted');
          expect(reasonOf(() => at(-tolerance)(request))).toBe('accepted');
          expect(reasonOf(() => at(tolerance + 1)(request))).toBe('stale_date');
          expect(reasonOf(() => at(-tolerance - 1)(request))).toBe('future_date');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a broken clock fails closed', () => {
    const broken = createFlowWebhookVerifier({
      secrets: [secret],
      now: () => new Date(Number.NaN),
    });
    expect(reasonOf(() => broken(testRequest({ secret, date: now })))).toBe('stale_date');
  });
});
