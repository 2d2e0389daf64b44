import { describe, expect, it } from 'vitest';
import {
  FLOW_VERIFICATION_REASON_INFO,
  FLOW_VERIFICATION_REASONS,
  FlowVerificationError,
  createFlowWebhookVerifier,
  type FlowSignedRequest,
} from '../../lib/protocol/index.js';
import { FlowConfigurationError } from '../../lib/index.js';
import {
  flowEventBody,
  reasonOf,
  testDigest,
  testHmac,
  testRequest,
  withHeader,
} from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const keyId = 'sandbox_key_0123456789abcdef0123456789abcdef';
const date = new Date('2026-03-04T05:06:07Z');
const verify = createFlowWebhookVerifier({
  secrets: [secret],
  apiKeys: [keyId],
  now: () => date,
  maxBodyBytes: 4096,
});
const good = testRequest({ secret, keyId, date });
const sig = /signature="([^"]+)"/.exec(good.headers.authorization as string)![1];

/** An Authorization header with the given parameter text after the scheme. */
const auth = (params: string) => withHeader(good, 'authorization', `Signature ${params}`);
const KEY = `keyId="${keyId}"`;
const ALG = 'algorithm="hmac-sha256"';
const HDR = 'headers="(request-target) date digest"';
const SIG = `signature="${sig}"`;
const params = (...parts: string[]) => auth(parts.join(','));
/** A request signed with an arbitrary signing string (to reach checks that follow the HMAC). */
function signedOver(
  body: string | Buffer,
  overrides: { date?: string; digest?: string } = {},
): FlowSignedRequest {
  const d = overrides.date ?? date.toUTCString();
  const digest = overrides.digest ?? testDigest(body);
  const s = testHmac(
    secret,
    `(request-target): post /webhook_receivers/flow\ndate: ${d}\ndigest: ${digest}`,
  );
  return {
    ...good,
    headers: {
      ...good.headers,
      date: d,
      digest,
      authorization: `Signature ${KEY},${ALG},${HDR},signature="${s}"`,
    },
    rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body),
  };
}
const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
const shifted = (minutes: number) => new Date(date.getTime() + minutes * 60_000).toUTCString();

const cases: Array<[string, FlowSignedRequest, string]> = [
  ['the valid delivery', good, 'accepted'],
  ['a request without headers object', { ...good, headers: null as never }, 'invalid_request'],
  ['a method that is not a string', { ...good, method: undefined as never }, 'invalid_request'],
  ['no Content-Type', withHeader(good, 'content-type', undefined), 'unsupported_content_type'],
  ['text/plain', withHeader(good, 'content-type', 'text/plain'), 'unsupported_content_type'],
  [
    'application/jsonx',
    withHeader(good, 'content-type', 'application/jsonx'),
    'unsupported_content_type',
  ],
  [
    'two Content-Types',
    withHeader(good, 'content-type', ['application/json', 'text/plain']),
    'unsupported_content_type',
  ],
  [
    'Content-Encoding gzip',
    withHeader(good, 'content-encoding', 'gzip'),
    'unsupported_content_encoding',
  ],
  [
    'Content-Encoding identity, gzip',
    withHeader(good, 'content-encoding', ['identity', 'gzip']),
    'unsupported_content_encoding',
  ],
  ['raw bytes unavailable', { ...good, rawBody: undefined }, 'missing_raw_body'],
  [
    'a parsed object instead of raw bytes',
    { ...good, rawBody: JSON.parse(flowEventBody()) as never },
    'missing_raw_body',
  ],
  [
    'a body over the limit, whatever Content-Length says',
    { ...good, rawBody: Buffer.alloc(4097, 0x20) },
    'body_too_large',
  ],
  ['no Authorization', withHeader(good, 'authorization', undefined), 'missing_authorization'],
  ['an empty Authorization', withHeader(good, 'authorization', ''), 'missing_authorization'],
  [
    'Authorization as an array of two',
    withHeader(good, 'authorization', [
      good.headers.authorization as string,
      good.headers.authorization as string,
    ]),
    'duplicate_authorization',
  ],
  [
    'a second Authorization seen in headersDistinct',
    {
      ...good,
      headersDistinct: { authorization: [good.headers.authorization as string, 'Bearer x'] },
    },
    'duplicate_authorization',
  ],
  ['scheme Bearer', withHeader(good, 'authorization', 'Bearer abc'), 'unsupported_scheme'],
  [
    'scheme in lower case',
    withHeader(
      good,
      'authorization',
      (good.headers.authorization as string).replace('Signature', 'signature'),
    ),
    'unsupported_scheme',
  ],
  [
    'scheme without parameters',
    withHeader(good, 'authorization', 'Signature'),
    'malformed_authorization',
  ],
  ['two spaces after the scheme', auth(` ${KEY},${ALG},${HDR},${SIG}`), 'malformed_authorization'],
  ['keyId repeated', params(KEY, KEY, ALG, HDR, SIG), 'duplicate_parameter'],
  ['signature repeated', params(KEY, ALG, HDR, SIG, SIG), 'duplicate_parameter'],
  ['an unterminated quote', params(KEY, ALG, HDR, `signature="${sig}`), 'malformed_authorization'],
  ['an unquoted value', params(KEY, 'algorithm=hmac-sha256', HDR, SIG), 'malformed_authorization'],
  ['a stray comma inside', params(KEY, '', ALG, HDR, SIG), 'malformed_authorization'],
  ['a trailing comma', auth(`${KEY},${ALG},${HDR},${SIG},`), 'malformed_authorization'],
  ['a leading comma', auth(`,${KEY},${ALG},${HDR},${SIG}`), 'malformed_authorization'],
  [
    'a control character in a value',
    params(`keyId="${keyId}\u0001"`, ALG, HDR, SIG),
    'malformed_authorization',
  ],
  ['a backslash escape', params(`keyId="${keyId}\\"`, ALG, HDR, SIG), 'malformed_authorization'],
  ['a space before =', params('keyId ="x"', ALG, HDR, SIG), 'malformed_authorization'],
  ['an unknown parameter', params(KEY, ALG, HDR, SIG, 'foo="bar"'), 'unknown_parameter'],
  ['a created parameter', params(KEY, ALG, HDR, SIG, 'created="1"'), 'unknown_parameter'],
  ['keyId missing', params(ALG, HDR, SIG), 'missing_key_id'],
  ['keyId empty', params('keyId=""', ALG, HDR, SIG), 'missing_key_id'],
  [
    'keyId unknown',
    params('keyId="sandbox_key_ffffffffffffffffffffffffffffffff"', ALG, HDR, SIG),
    'unknown_key_id',
  ],
  ['algorithm missing', params(KEY, HDR, SIG), 'unsupported_algorithm'],
  ...['hs2019', 'rsa-sha256', 'hmac-sha1', 'HMAC-SHA256', 'hmac-sha256 ', ''].map(
    (a): [string, FlowSignedRequest, string] => [
      `algorithm ${JSON.stringify(a)}`,
      params(KEY, `algorithm="${a}"`, HDR, SIG),
      'unsupported_algorithm',
    ],
  ),
  ['headers absent', params(KEY, ALG, SIG), 'invalid_signed_headers'],
  ['headers empty', params(KEY, ALG, 'headers=""', SIG), 'invalid_signed_headers'],
  [
    'headers with an empty token',
    params(KEY, ALG, 'headers="(request-target)  date digest"', SIG),
    'invalid_signed_headers',
  ],
  [
    'headers with a repeated token',
    params(KEY, ALG, 'headers="(request-target) date digest date"', SIG),
    'invalid_signed_headers',
  ],
  [
    'headers in upper case',
    params(KEY, ALG, 'headers="(request-target) Date digest"', SIG),
    'invalid_signed_headers',
  ],
  [
    'headers without digest',
    params(KEY, ALG, 'headers="(request-target) date"', SIG),
    'unsigned_required_header',
  ],
  [
    'headers without (request-target)',
    params(KEY, ALG, 'headers="date digest"', SIG),
    'unsigned_required_header',
  ],
  [
    'headers without date',
    params(KEY, ALG, 'headers="(request-target) digest"', SIG),
    'unsigned_required_header',
  ],
  [
    'headers with (created)',
    params(KEY, ALG, 'headers="(request-target) (created) date digest"', SIG),
    'unsupported_pseudo_header',
  ],
  [
    'headers with (expires)',
    params(KEY, ALG, 'headers="(request-target) date digest (expires)"', SIG),
    'unsupported_pseudo_header',
  ],
  [
    'a signed header that is absent',
    params(KEY, ALG, 'headers="(request-target) date digest x-absent"', SIG),
    'missing_signed_header',
  ],
  ['signature missing', params(KEY, ALG, HDR), 'missing_signature'],
  ['signature empty', params(KEY, ALG, HDR, 'signature=""'), 'missing_signature'],
  [
    'signature with non-zero padding bits',
    params(
      KEY,
      ALG,
      HDR,
      `signature="${sig.slice(0, 42)}${sig[42] === 'A' ? 'B' : String.fromCharCode(sig.charCodeAt(42) + 1)}="`,
    ),
    'malformed_signature',
  ],
  [
    'signature without padding',
    params(KEY, ALG, HDR, `signature="${sig.slice(0, 43)}"`),
    'malformed_signature',
  ],
  [
    'a truncated signature',
    params(KEY, ALG, HDR, `signature="${sig.slice(0, 20)}"`),
    'malformed_signature',
  ],
  [
    'a signature in hex',
    params(KEY, ALG, HDR, `signature="${Buffer.from(sig, 'base64').toString('hex')}"`),
    'malformed_signature',
  ],
  [
    'a url-safe base64 signature',
    params(KEY, ALG, HDR, `signature="${sig.slice(0, 40)}-_AA="`),
    'malformed_signature',
  ],
  [
    'non-ASCII of the right length',
    params(KEY, ALG, HDR, `signature="${'é'.repeat(43)}="`),
    'malformed_authorization',
  ],
  ['Date missing', withHeader(good, 'date', undefined), 'missing_date'],
  [
    'Date repeated',
    withHeader(good, 'date', [date.toUTCString(), date.toUTCString()]),
    'duplicate_date',
  ],
  [
    'Date in RFC 850 form',
    withHeader(good, 'date', 'Wednesday, 04-Mar-26 05:06:07 GMT'),
    'malformed_date',
  ],
  ['Date in asctime form', withHeader(good, 'date', 'Wed Mar  4 05:06:07 2026'), 'malformed_date'],
  ['Date as ISO 8601', withHeader(good, 'date', date.toISOString()), 'malformed_date'],
  [
    'Date with a wrong weekday',
    withHeader(good, 'date', date.toUTCString().replace('Wed', 'Thu')),
    'malformed_date',
  ],
  [
    'Date on 31 February',
    withHeader(good, 'date', 'Tue, 31 Feb 2026 05:06:07 GMT'),
    'malformed_date',
  ],
  ['Date at 24:00:00', withHeader(good, 'date', 'Wed, 04 Mar 2026 24:00:00 GMT'), 'malformed_date'],
  ['Date unparseable', withHeader(good, 'date', 'Wed, 04 Mar 2026 05:06:0x GMT'), 'malformed_date'],
  [
    'Date in another zone',
    withHeader(good, 'date', 'Wed, 04 Mar 2026 05:06:07 UTC'),
    'malformed_date',
  ],
  ['Date 16 minutes old', signedOver(flowEventBody(), { date: shifted(-16) }), 'stale_date'],
  ['Date 16 minutes ahead', signedOver(flowEventBody(), { date: shifted(16) }), 'future_date'],
  ['Digest missing', withHeader(good, 'digest', undefined), 'missing_digest'],
  [
    'Digest missing on an empty body',
    withHeader({ ...good, rawBody: Buffer.alloc(0) }, 'digest', undefined),
    'missing_digest',
  ],
  [
    'Digest repeated',
    withHeader(good, 'digest', [good.headers.digest as string, good.headers.digest as string]),
    'duplicate_digest',
  ],
  [
    'Digest SHA-512',
    withHeader(
      good,
      'digest',
      'SHA-512=z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==',
    ),
    'unsupported_digest_algorithm',
  ],
  [
    'Digest MD5',
    withHeader(good, 'digest', 'MD5=HUXZLQLMuI/KZ5KDcJPcOA=='),
    'unsupported_digest_algorithm',
  ],
  [
    'Digest list with another algorithm',
    withHeader(good, 'digest', `${good.headers.digest as string},MD5=HUXZLQLMuI/KZ5KDcJPcOA==`),
    'unsupported_digest_algorithm',
  ],
  [
    'Digest list of two SHA-256',
    withHeader(good, 'digest', `${good.headers.digest as string},${good.headers.digest as string}`),
    'malformed_digest',
  ],
  [
    'Digest in hex',
    withHeader(
      good,
      'digest',
      `SHA-256=${Buffer.from((good.headers.digest as string).slice(8), 'base64').toString('hex')}`,
    ),
    'malformed_digest',
  ],
  ['Digest malformed base64', withHeader(good, 'digest', 'SHA-256=not*base64'), 'malformed_digest'],
  ['Digest without algorithm', withHeader(good, 'digest', 'abc'), 'malformed_digest'],
  [
    'a tampered body',
    { ...good, rawBody: Buffer.from(flowEventBody({ id: 'whkevt_tampered' })) },
    'digest_mismatch',
  ],
  [
    'a Digest that does not match the body',
    signedOver(flowEventBody(), { digest: testDigest('other') }),
    'digest_mismatch',
  ],
  ['another method', { ...good, method: 'PUT' }, 'bad_signature'],
  [
    'a method in lower case (signed as POST lower-cased, but not sent that way)',
    { ...good, method: 'post' },
    'bad_signature',
  ],
  ['a method in mixed case', { ...good, method: 'PoST' }, 'bad_signature'],
  ['a path with a trailing slash', { ...good, url: '/webhook_receivers/flow/' }, 'bad_signature'],
  ['a path in another case', { ...good, url: '/Webhook_receivers/flow' }, 'bad_signature'],
  ['a percent-encoded path', { ...good, url: '/webhook%5Freceivers/flow' }, 'bad_signature'],
  ['an added query', { ...good, url: '/webhook_receivers/flow?a=1' }, 'bad_signature'],
  ['an added path prefix', { ...good, url: '/api/webhook_receivers/flow' }, 'bad_signature'],
  ['a flipped signature', params(KEY, ALG, HDR, `signature="${flip(sig, 5)}"`), 'bad_signature'],
  ['a signed body that is not JSON', signedOver('not json'), 'invalid_payload'],
  ['a signed JSON array', signedOver('[]'), 'invalid_payload'],
  ['a signed event without id', signedOver(flowEventBody({ id: undefined })), 'invalid_payload'],
  ['a signed event with an empty id', signedOver(flowEventBody({ id: '' })), 'invalid_payload'],
  [
    'a signed event with a 129-character id',
    signedOver(flowEventBody({ id: 'x'.repeat(129) })),
    'invalid_payload',
  ],
  [
    'a signed event with a numeric event',
    signedOver(flowEventBody({ event: 1 })),
    'invalid_payload',
  ],
  ['a signed event with null data', signedOver(flowEventBody({ data: null })), 'invalid_payload'],
  ['a signed empty body', signedOver(''), 'invalid_payload'],
  [
    'a signed body of invalid UTF-8',
    signedOver(
      Buffer.concat([
        Buffer.from('{"id":"whkevt_'),
        Buffer.from([0xff]),
        Buffer.from('","event":"e","data":{}}'),
      ]),
    ),
    'invalid_payload',
  ],
  [
    'a signed body with a byte-order mark',
    signedOver(`\ufeff${flowEventBody()}`),
    'invalid_payload',
  ],
];

describe('every refusal of the protocol has its own reason', () => {
  it.each(cases)('%s → %s', (_name, request, expected) => {
    expect(reasonOf(() => verify(request))).toBe(expected);
  });

  it('an event id of exactly 128 characters is accepted', () => {
    expect(verify(signedOver(flowEventBody({ id: 'x'.repeat(128) }))).id).toHaveLength(128);
  });

  it('covers every documented reason, each with a status and a description', () => {
    const seen = new Set(cases.map(([, , reason]) => reason));
    for (const reason of FLOW_VERIFICATION_REASONS) {
      expect(seen, reason).toContain(reason);
      expect(FLOW_VERIFICATION_REASON_INFO[reason].description.length).toBeGreaterThan(10);
    }
    const error = new FlowVerificationError('body_too_large');
    expect([error.reason, error.status]).toEqual(['body_too_large', 413]);
    expect(new FlowVerificationError('bad_signature').status).toBe(401);
    expect(new FlowVerificationError('invalid_payload').status).toBe(400);
    expect(new FlowVerificationError('missing_raw_body').status).toBe(500);
  });

  it('a header value that arrives as an array is a refusal, never a TypeError', () => {
    for (const name of ['authorization', 'date', 'digest', 'content-type', 'content-encoding']) {
      for (const value of [[], ['a', 'b'], [1] as never, 42 as never, {} as never]) {
        const reason = reasonOf(() => verify(withHeader(good, name, value)));
        expect(reason).not.toBe('accepted');
      }
    }
  });

  it('messages never contain the secret or the full signature', () => {
    for (const [, request] of cases) {
      try {
        verify(request);
      } catch (error) {
        expect((error as Error).message).not.toContain(secret);
        expect((error as Error).message).not.toContain(sig);
      }
    }
  });

  it('refuses unusable options at creation', () => {
    for (const options of [
      { secrets: [] },
      { secrets: [''] },
      { secrets: [` ${secret}`] },
      { secrets: ['short_secret'] },
      { secrets: [secret], apiKeys: [] },
      { secrets: [secret], toleranceSeconds: 0 },
      { secrets: [secret], publicPath: 'no-slash' },
    ]) {
      expect(() => createFlowWebhookVerifier(options)).toThrow(FlowConfigurationError);
    }
  });

  it('publicPath replaces the received path and keeps the received query', () => {
    const signed = testRequest({
      secret,
      keyId,
      date,
      url: '/internal/flow?x=1',
      signedTarget: '/hooks/flow?x=1',
    });
    expect(reasonOf(() => verify(signed))).toBe('bad_signature');
    const behindProxy = createFlowWebhookVerifier({
      secrets: [secret],
      now: () => date,
      publicPath: '/hooks/flow',
    });
    expect(behindProxy(signed).id).toBe('whkevt_0123456789abcd');
    expect(reasonOf(() => behindProxy({ ...signed, url: '/internal/flow?x=2' }))).toBe(
      'bad_signature',
    );
  });
});
