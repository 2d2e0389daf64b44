import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  WEBHOOK_PLATFORMS,
  startWebhookApp,
  type WebhookApp,
} from '../support/flow-webhook-app.js';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { rawHttpRequest } from '../support/raw-http.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const PATH = '/webhook_receivers/flow';

/**
 * What the test accepts as Flow's media type, written here from RFC 9110, not from the library:
 * the whitespace around `;` is OWS, spaces and horizontal tabs.
 */
const ACCEPTED = /^application\/json(?:[ \t]*;[ \t]*charset=(?:utf-8|"utf-8"))?$/i;

/** Sends a freshly signed delivery (its own event id) whose Content-Type is `contentType`, byte for byte. */
async function deliver(host: WebhookApp, contentType: string): Promise<number> {
  const body = flowEventBody({ id: `whkevt_${randomUUID().replaceAll('-', '')}` });
  const headers = testHeaders({ secret, url: PATH, body });
  const head = [`POST ${PATH} HTTP/1.1`];
  for (const [name, value] of Object.entries(headers)) {
    if (name !== 'content-type' && name !== 'content-length') head.push(`${name}: ${value}`);
  }
  head.push(`Content-Type: ${contentType}`);
  return (await rawHttpRequest(host.port, head, body, 'latin1')).status;
}

describe.each(WEBHOOK_PLATFORMS.map(([name]) => name))('Content-Type on %s', (platform) => {
  let host: WebhookApp;
  beforeAll(async () => {
    host = await startWebhookApp(platform, { apiSecret: secret });
  });
  afterAll(async () => {
    await host.app.close();
  });
  beforeEach(() => {
    host.logger.lines.length = 0;
  });

  const errors = () => host.logger.lines.filter((line) => line.level === 'error');

  it.each([
    'application/json',
    'Application/JSON',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'application/json; charset="utf-8"',
    'application/json; CHARSET=Utf-8',
  ])('accepts %j', async (contentType) => {
    expect(await deliver(host, contentType)).toBe(200);
  });

  // Before the strict parser, Express answered 500 (and logged the raw-body misconfiguration) for
  // the no-break-space forms, and both platforms verified utf-7/utf-16/latin1 deliveries.
  it.each([
    'application/json\xa0',
    'application/json\xa0; charset=utf-8',
    'application/json;\xa0charset=utf-8',
    'application/json; charset=utf-8\xa0',
    'application/json\x85',
    'application/json; charset=utf-7',
    'application/json; charset=UTF-16LE',
    'application/json; charset=utf-16',
    'application/json; charset=iso-8859-1',
    'application/json; charset="utf-7"',
    'application/json; charset=utf-8; charset=utf-16le',
    'application/json; charset=utf-8, application/json; charset=utf-16le',
    'application/json; version=2',
    'application/json-patch+json',
    'application/jsonx',
    'text/json',
  ])('refuses %j with a 4xx, never a 5xx or a misconfiguration log', async (contentType) => {
    const status = await deliver(host, contentType);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    // The guard's own answer, unless the platform's JSON parser refused the charset first.
    expect([415, 400]).toContain(status);
    expect(errors()).toEqual([]);
  });

  it('no Content-Type byte sequence gets a 5xx or the raw-body log (property)', async () => {
    // Bytes around and inside the media type: HTTP whitespace, NBSP and other non-HTTP spaces,
    // separators, quotes, controls; CR, LF and NUL would end or break the header line itself.
    const byte = fc
      .integer({ min: 1, max: 255 })
      .filter((code) => code !== 0x0a && code !== 0x0d)
      .map((code) => String.fromCharCode(code));
    const noise = fc.oneof(
      fc.constantFrom(' ', '\t', '\xa0', ';', '=', '"', ',', '\\', '\x0b', '\x0c', '\x85'),
      byte,
    );
    const filler = fc.array(noise, { maxLength: 3 }).map((parts) => parts.join(''));
    const charset = fc.constantFrom('utf-8', 'UTF-8', '"utf-8"', 'utf-7', 'utf-16le', 'latin1');
    const value = fc
      .tuple(filler, filler, fc.boolean(), filler, charset, filler)
      .map(([a, b, withCharset, c, cs, d]) =>
        withCharset ? `${a}application/json${b};${c}charset=${cs}${d}` : `${a}application/json${b}`,
      );
    await fc.assert(
      fc.asyncProperty(value, async (contentType) => {
        const status = await deliver(host, contentType);
        expect(status).toBeGreaterThanOrEqual(200);
        expect(status).toBeLessThan(500);
        // Node trims space and tab around a header value before anyone sees it.
        const trimmed = contentType.replace(/^[ \t]+|[ \t]+$/g, '');
        if (status === 200) expect(trimmed).toMatch(ACCEPTED);
        expect(errors()).toEqual([]);
      }),
      // A tab before the `;` is OWS too: a seed once drew it, and it always runs now.
      { numRuns: 150, examples: [['application/json\t;charset=utf-8']] },
    );
  });
});
