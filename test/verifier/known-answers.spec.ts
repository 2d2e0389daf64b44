import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FlowConfigurationError, type FlowWebhookEvent } from '../../lib/index.js';
import {
  buildFlowSigningString,
  createFlowWebhookVerifier,
  flowDigest,
  flowRequestTarget,
  verifyFlowWebhook,
} from '../../lib/protocol/index.js';
import { signFlowWebhook } from '../../lib/testing/index.js';
import { EXAMPLE_SECRET, EXAMPLE_WEBHOOK, SECTION4 } from '../fixtures/flow-protocol.js';

const hmac = (secret: string, text: string) =>
  createHmac('sha256', secret).update(text, 'utf8').digest('base64');

/** The headers of the protocol's real delivery, as Node presents them (lower-case names). */
const EXAMPLE_HEADERS = {
  date: EXAMPLE_WEBHOOK.date,
  digest: EXAMPLE_WEBHOOK.digest,
  authorization: EXAMPLE_WEBHOOK.authorization,
  'content-type': EXAMPLE_WEBHOOK.contentType,
  accept: 'application/json',
  'cognito-version': EXAMPLE_WEBHOOK.cognitoVersion,
  'content-length': '340',
};

function exampleRequest() {
  return {
    method: EXAMPLE_WEBHOOK.method,
    url: EXAMPLE_WEBHOOK.path,
    headers: { ...EXAMPLE_HEADERS },
    rawBody: Buffer.from(EXAMPLE_WEBHOOK.body, 'utf8'),
  };
}

const atExampleDate = () => new Date(EXAMPLE_WEBHOOK.date);

describe('the real delivery of the protocol (section 3)', () => {
  it('verifies with the documented secret and a clock at its Date, returning the typed event', () => {
    expect(Buffer.byteLength(EXAMPLE_WEBHOOK.body)).toBe(340);
    const event: FlowWebhookEvent = verifyFlowWebhook(exampleRequest(), {
      secrets: [EXAMPLE_SECRET],
      now: atExampleDate,
    });
    expect(event.id).toBe('whkevt_11111111111111');
    expect(event.event).toBe('flow_session.status.updated');
    expect(event.environment).toBe('live');
    expect(event.data).toMatchObject({
      object: 'flow_session',
      id: 'flwses_11111111111111',
      status: 'failed',
      step: null,
    });
    expect(event.data.customer_reference).toBe('cafecafe-beef-beef-beef-cafecafecafe');
  });

  it('verifies with its keyId configured, and refuses another keyId list', () => {
    const options = { secrets: [EXAMPLE_SECRET], now: atExampleDate };
    expect(
      createFlowWebhookVerifier({ ...options, apiKeys: [EXAMPLE_WEBHOOK.keyId] })(exampleRequest())
        .id,
    ).toBe('whkevt_11111111111111');
    expect(() =>
      createFlowWebhookVerifier({
        ...options,
        apiKeys: ['live_key_00000000000000000000000000000000'],
      })(exampleRequest()),
    ).toThrowError(expect.objectContaining({ reason: 'unknown_key_id' }));
  });

  it('is stale with the real clock, and refused under another secret', () => {
    expect(() => verifyFlowWebhook(exampleRequest(), { secrets: [EXAMPLE_SECRET] })).toThrowError(
      expect.objectContaining({ reason: 'stale_date' }),
    );
    const other = `live_secret_${'0'.repeat(64)}`;
    expect(() =>
      verifyFlowWebhook(exampleRequest(), { secrets: [other], now: atExampleDate }),
    ).toThrowError(expect.objectContaining({ reason: 'bad_signature' }));
    // Rotation: the documented secret listed second still verifies.
    expect(
      verifyFlowWebhook(exampleRequest(), { secrets: [other, EXAMPLE_SECRET], now: atExampleDate })
        .id,
    ).toBe('whkevt_11111111111111');
  });

  it('builds the documented signing string, digest and signature', () => {
    const signingString = buildFlowSigningString({
      requestTarget: flowRequestTarget('POST', EXAMPLE_WEBHOOK.path),
      date: EXAMPLE_WEBHOOK.date,
      digest: flowDigest(EXAMPLE_WEBHOOK.body),
    });
    expect(signingString).toBe(EXAMPLE_WEBHOOK.signingString);
    expect(flowDigest(Buffer.from(EXAMPLE_WEBHOOK.body))).toBe(EXAMPLE_WEBHOOK.digest);
    expect(hmac(EXAMPLE_SECRET, signingString)).toBe(EXAMPLE_WEBHOOK.signature);
  });

  it('signFlowWebhook reproduces the delivery header for header', () => {
    const headers = signFlowWebhook({
      secret: EXAMPLE_SECRET,
      apiKey: EXAMPLE_WEBHOOK.keyId,
      path: EXAMPLE_WEBHOOK.path,
      body: EXAMPLE_WEBHOOK.body,
      date: new Date(EXAMPLE_WEBHOOK.date),
    });
    // Content-Length is left to the HTTP client, which computes the delivery's from the body.
    const { 'content-length': contentLength, ...signed } = EXAMPLE_HEADERS;
    expect(headers).toEqual(signed);
    expect(String(Buffer.byteLength(EXAMPLE_WEBHOOK.body, 'utf8'))).toBe(contentLength);
  });
});

describe('the signing-string answers of section 4', () => {
  it.each(SECTION4.cases)('$requestTarget at $date', ({ requestTarget, date, signature }) => {
    const [method, target] = requestTarget.split(' ');
    const signingString = buildFlowSigningString({
      requestTarget: flowRequestTarget(method.toUpperCase(), target),
      date,
      digest: flowDigest(SECTION4.body),
    });
    expect(flowDigest(SECTION4.body)).toBe(SECTION4.digest);
    expect(hmac(SECTION4.secret, signingString)).toBe(signature);
    const headers = signFlowWebhook({
      secret: SECTION4.secret,
      path: target,
      body: SECTION4.body,
      date,
    });
    expect(headers.digest).toBe(SECTION4.digest);
    expect(headers.date).toBe(date);
    expect(headers.authorization).toMatch(
      new RegExp(`,signature="${signature.replace(/[+/]/g, '\\$&')}"$`),
    );
  });

  it('the wrong spellings of the second case differ from its signature and from what is built', () => {
    const { date } = SECTION4.cases[1];
    const right = buildFlowSigningString({
      requestTarget: flowRequestTarget('POST', '/foo'),
      date,
      digest: SECTION4.digest,
    });
    const upper = right.replace('post /foo', 'POST /foo');
    expect(hmac(SECTION4.secret, upper)).toBe(SECTION4.wrongSpellings.upperCaseMethod);
    expect(hmac(SECTION4.secret, `${right}\n`)).toBe(SECTION4.wrongSpellings.trailingNewline);
    expect(hmac(SECTION4.secret, right.replace(/\n/g, '\r\n'))).toBe(
      SECTION4.wrongSpellings.crlfLineEnds,
    );
    const built = hmac(SECTION4.secret, right);
    expect(built).toBe(SECTION4.cases[1].signature);
    for (const wrong of Object.values(SECTION4.wrongSpellings)) expect(built).not.toBe(wrong);
    expect(right.endsWith('\n')).toBe(false);
    expect(right).not.toContain('\r');
  });

  it('the digest of an empty body', () => {
    expect(flowDigest('')).toBe(SECTION4.emptyBodyDigest);
    expect(flowDigest(Buffer.alloc(0))).toBe(`SHA-256=${createHash('sha256').digest('base64')}`);
    expect(signFlowWebhook({ secret: SECTION4.secret, path: '/foo', body: '' }).digest).toBe(
      SECTION4.emptyBodyDigest,
    );
  });

  it('the section 4 secret is too short for a verifier, which refuses it at creation', () => {
    expect(() => createFlowWebhookVerifier({ secrets: [SECTION4.secret] })).toThrow(
      FlowConfigurationError,
    );
    try {
      createFlowWebhookVerifier({ secrets: [SECTION4.secret] });
    } catch (error) {
      expect((error as Error).message).not.toContain(SECTION4.secret);
    }
  });
});
