/**
 * Requests signed the way the public Cognito clients sign them (FLOW-PROTOCOL §6: Cognito's
 * co-authored Ruby client, a C# client, a Laravel app), each signer written here from that
 * description with node:crypto only, and checked by this package's verifiers. The C# client lists
 * the signed headers in another order: a verifier must follow the `headers` parameter, not assume it.
 */
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFlowRequestVerifier,
  createFlowWebhookVerifier,
  FlowWebhookVerificationError,
} from '../../lib/index.js';
import { startFlowEmulator, type FlowEmulator } from '../../lib/testing/index.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_1234567890abcdef1234567890abcdef';

interface SignedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  rawBody: Buffer;
}

/** One independent signer: how a client builds Date, Digest and Authorization. */
interface Signer {
  name: string;
  sign(method: string, url: string, body: string, date?: Date): SignedRequest;
}

function headerLine(name: string, values: Record<string, string>): string {
  return `${name}: ${values[name]}`;
}

/** A signer that lists `order` in `headers` and signs the lines in that order. */
function signerWith(
  name: string,
  order: string[],
  authorizationCase: 'Authorization' | 'authorization',
): Signer {
  return {
    name,
    sign(method, url, body, date = new Date()) {
      const values: Record<string, string> = {
        '(request-target)': `${method.toLowerCase()} ${url}`,
        date: date.toUTCString(),
        digest: `SHA-256=${createHash('sha256').update(body, 'utf8').digest('base64')}`,
      };
      const signingString = order.map((header) => headerLine(header, values)).join('\n');
      const signature = createHmac('sha256', Buffer.from(secret, 'utf8'))
        .update(signingString, 'utf8')
        .digest('base64');
      return {
        method,
        url,
        rawBody: Buffer.from(body, 'utf8'),
        headers: {
          date: values.date,
          digest: values.digest,
          [authorizationCase.toLowerCase()]: `Signature keyId="${apiKey}",algorithm="hmac-sha256",headers="${order.join(' ')}",signature="${signature}"`,
          'content-type': body === '' ? '' : 'application/json',
        },
      };
    },
  };
}

const SIGNERS: Signer[] = [
  // The Ruby client: the documented order.
  signerWith(
    'Ruby client (documented order)',
    ['(request-target)', 'date', 'digest'],
    'Authorization',
  ),
  // The C# client: the same three headers, listed in reverse.
  signerWith('C# client (reversed order)', ['digest', 'date', '(request-target)'], 'Authorization'),
  // The Laravel app: date first.
  signerWith('Laravel app (date first)', ['date', '(request-target)', 'digest'], 'authorization'),
];

const CREATE_BODY =
  '{"shareable":true,"template_id":"flwtmp_signers0000001","user":{"customer_reference":"s-1"}}';
const EVENT_BODY =
  '{"id":"whkevt_11111111111111","timestamp":"2021-01-01T00:00:00Z","event":"flow_session.status.updated","data":{"object":"flow_session","id":"flwses_11111111111111","status":"success","step":null,"customer_reference":"s-1","_meta":"This API format is not v1.0 and is subject to change."},"environment":"sandbox"}';

function withoutEmpty(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== ''));
}

let emulator: FlowEmulator;
beforeAll(async () => {
  emulator = await startFlowEmulator({
    keys: { apiSecret: secret, apiKey, templateId: 'flwtmp_signers0000001' },
  });
});
afterAll(() => emulator.close());

describe.each(SIGNERS)("this package's verifiers accept requests signed by the $name", (signer) => {
  const verifyRequest = createFlowRequestVerifier({ secrets: [secret], apiKeys: [apiKey] });
  const verifyWebhook = createFlowWebhookVerifier({ secrets: [secret], apiKeys: [apiKey] });

  it('an API request (POST with its query, and a GET of the empty body)', () => {
    const post = signer.sign('POST', '/flow_sessions?idempotent=true', CREATE_BODY);
    expect(() => verifyRequest({ ...post, headers: withoutEmpty(post.headers) })).not.toThrow();
    const get = signer.sign('GET', '/flow_sessions/flwses_11111111111111', '');
    expect(() => verifyRequest({ ...get, headers: withoutEmpty(get.headers) })).not.toThrow();
  });

  it('a webhook delivery', () => {
    const delivery = signer.sign('POST', '/webhook_receivers/flow', EVENT_BODY);
    const event = verifyWebhook({ ...delivery, headers: withoutEmpty(delivery.headers) });
    expect(event.data.customer_reference).toBe('s-1');
  });

  it('and refuse the same request once anything it signed changes', () => {
    const post = signer.sign('POST', '/flow_sessions?idempotent=true', CREATE_BODY);
    const headers = withoutEmpty(post.headers);
    const tampered: SignedRequest[] = [
      { ...post, url: '/flow_sessions', headers },
      { ...post, method: 'PUT', headers },
      { ...post, headers: { ...headers, date: new Date(Date.now() - 1000).toUTCString() } },
      { ...post, rawBody: Buffer.from(CREATE_BODY.replace('s-1', 's-2')), headers },
      {
        ...post,
        headers: {
          ...headers,
          // The same lines listed in an order no signer here used: the HMAC no longer matches.
          authorization: headers.authorization.replace(
            /headers="[^"]+"/,
            'headers="digest (request-target) date"',
          ),
        },
      },
    ];
    for (const request of tampered)
      expect(() => verifyRequest(request)).toThrow(FlowWebhookVerificationError);
  });

  it("over real HTTP to the emulator's API, with JSON:API headers", async () => {
    const post = signer.sign('POST', '/flow_sessions?idempotent=true', CREATE_BODY);
    const response = await fetch(`${emulator.apiBaseUrl}/flow_sessions?idempotent=true`, {
      method: 'POST',
      headers: {
        ...withoutEmpty(post.headers),
        'content-type': 'application/vnd.api+json',
        accept: 'application/vnd.api+json',
        'cognito-version': '2020-08-14',
      },
      body: CREATE_BODY,
    });
    expect([200, 201]).toContain(response.status);
    expect(((await response.json()) as { customer_reference: string }).customer_reference).toBe(
      's-1',
    );
  });
});
