import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowApiClient } from '../../lib/index.js';
import { rawHttpRequest } from '../support/raw-http.js';
import { generateSecret } from '../support/test-secrets.js';
import {
  startFlowApiStandIn,
  type FlowApiStandIn,
  type ReceivedApiRequest,
} from './support/flow-api-stand-in.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_00000000000000000000000000000000';
let api: FlowApiStandIn;
let post: ReceivedApiRequest;

/** Sends a recorded request again, byte for byte, with some parts changed. */
function replay(
  request: ReceivedApiRequest,
  change: { method?: string; url?: string; body?: string; headers?: Record<string, string> } = {},
) {
  const headers = { ...request.headers, ...change.headers } as Record<string, string>;
  const head = [`${change.method ?? request.method} ${change.url ?? request.url} HTTP/1.1`];
  for (const name of [
    'date',
    'digest',
    'authorization',
    'accept',
    'cognito-version',
    'content-type',
  ]) {
    if (headers[name] !== undefined) head.push(`${name}: ${headers[name]}`);
  }
  return rawHttpRequest(api.port, head, change.body ?? request.body);
}

beforeAll(async () => {
  api = await startFlowApiStandIn({ secret, apiKey });
  const client = new FlowApiClient({ apiKey, apiSecret: secret, baseUrl: api.baseUrl });
  await client.createFlowSession({ customerReference: 'user-1', templateId: 'flwtmp_T1' });
  post = api.requests[0];
});
afterAll(() => api.close());

describe('the stand-in verifies every request twice and refuses a mutated one', () => {
  it('accepts the client request replayed unchanged, by both verifiers', async () => {
    const answer = await replay(post);
    expect(answer.status).toBe(200);
    const last = api.requests.at(-1);
    expect([last?.ownVerifier, last?.referenceVerifier]).toEqual([true, true]);
  });

  it.each([
    ['another body', { body: '{"x":1}' }],
    ['the query dropped', { url: '/flow_sessions' }],
    ['another path', { url: '/flow_sessions?idempotent=false' }],
    ['another method', { method: 'PUT' }],
    ['another Date', { headers: { date: new Date(Date.now() - 1000).toUTCString() } }],
  ])('refuses the request with %s (both verifiers say no, 401)', async (_label, change) => {
    const answer = await replay(post, change);
    expect(answer.status).toBe(401);
    const last = api.requests.at(-1);
    expect(last?.ownVerifier).toBe(false);
    // The reference library does not check the Digest against the body; the signature covers it.
    if (!('body' in change)) expect(last?.referenceVerifier).toBe(false);
  });
});
