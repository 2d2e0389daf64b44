import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FlowApiClient,
  FlowApiError,
  InvalidCustomerReferenceError,
  type FlowApiClientOptions,
} from '../../lib/index.js';
import { generateSecret } from '../support/test-secrets.js';
import { startFlowApiStandIn, type FlowApiStandIn } from './support/flow-api-stand-in.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
const templateId = 'flwtmp_TESTTEMPLATE0001';
let api: FlowApiStandIn;

/** Fast retries: the policy is the same, the waits are milliseconds. */
function client(options: Partial<FlowApiClientOptions> = {}): FlowApiClient {
  return new FlowApiClient({
    apiKey,
    apiSecret: secret,
    templateId,
    baseUrl: api.baseUrl,
    backoffBaseMs: 1,
    backoffMaxMs: 5,
    retryAfterMaxMs: 50,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<FlowApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(FlowApiError);
  return error as FlowApiError;
}

beforeAll(async () => {
  api = await startFlowApiStandIn({ secret, apiKey });
});
afterAll(() => api.close());
beforeEach(() => {
  api.requests.length = 0;
  api.script.length = 0;
});

describe('FlowApiClient against the stand-in API over real HTTP', () => {
  it('creates a shareable session (201), then gets the same one back (200) for the same user', async () => {
    const flow = client();
    const first = await flow.createFlowSession({
      customerReference: 'user-1',
      email: 'ada@example.com',
      shareable: true,
    });
    expect(first.created).toBe(true);
    expect(first.session.id).toMatch(/^flwses_/);
    expect(first.session.shareable_url).toBe(
      `https://flow.cognitohq.com/verify/${first.session.id}`,
    );
    expect(first.session.customer_reference).toBe('user-1');
    const again = await flow.createFlowSession({ customerReference: 'user-1', shareable: true });
    expect(again).toEqual({ created: false, session: first.session });

    const [post] = api.requests;
    expect(post.method).toBe('POST');
    expect(post.url).toBe('/flow_sessions?idempotent=true');
    expect(JSON.parse(post.body)).toEqual({
      shareable: true,
      template_id: templateId,
      user: { customer_reference: 'user-1', email: 'ada@example.com' },
    });
    // JSON:API, as every integration that worked against Cognito sends it (FLOW-PROTOCOL §6).
    expect(post.headers['content-type']).toBe('application/vnd.api+json');
    expect(post.headers.accept).toBe('application/vnd.api+json');
    expect(post.headers['cognito-version']).toBe('2020-08-14');
    expect(post.headers.authorization).toMatch(
      new RegExp(
        `^Signature keyId="${apiKey}",algorithm="hmac-sha256",headers="\\(request-target\\) date digest",signature="`,
      ),
    );
    expect(JSON.parse(api.requests[1].body)).toEqual({
      shareable: true,
      template_id: templateId,
      user: { customer_reference: 'user-1' },
    });
  });

  it('every request it sends is accepted by both verifiers (own and http-signature)', async () => {
    const flow = client();
    const { session } = await flow.createFlowSession({ customerReference: 'user-2' });
    await flow.getFlowSession(session.id);
    await flow.createFlowSession({ customerReference: 'user-3' }, { idempotent: false });
    await failure(flow.getFlowSession('flwses_doesnotexist1'));
    expect(api.requests).toHaveLength(4);
    for (const request of api.requests) {
      expect(request.ownVerifier, request.url).toBe(true);
      expect(request.referenceVerifier, request.url).toBe(true);
    }
  });

  it('reads a session exactly as Cognito sends it, unknown fields included', async () => {
    api.sessions.set('flwses_known1', {
      id: 'flwses_known1',
      object: 'flow_session',
      status: 'success',
      customer_reference: 'user-9',
      user: { id_number: { value: '123-45-6789', category: 'ssn', type: 'us_ssn' } },
      something_new: { nested: true },
    });
    const session = await client().getFlowSession('flwses_known1');
    expect(session).toEqual(api.sessions.get('flwses_known1'));
    const [get] = api.requests;
    expect(get.method).toBe('GET');
    expect(get.url).toBe('/flow_sessions/flwses_known1');
    expect(get.body).toBe('');
    expect(get.headers.digest).toBe('SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(get.headers['content-type']).toBeUndefined();
    expect(get.headers.accept).toBe('application/vnd.api+json');
  });

  it('sends the configured Cognito-Version', async () => {
    await client({ cognitoVersion: '2016-09-01' }).createFlowSession({ customerReference: 'u-v' });
    expect(api.requests[0].headers['cognito-version']).toBe('2016-09-01');
  });

  it('a 404 throws at once with status, Cognito errors, code http and no retry', async () => {
    const error = await failure(client().getFlowSession('flwses_missing0001'));
    expect(error).toMatchObject({ code: 'http', status: 404, retryable: false, attempts: 1 });
    expect(error.errors).toEqual([{ code: 'not_found', message: 'No flow session with this id.' }]);
    expect(error.message).toContain('GET /flow_sessions/flwses_missing0001');
    expect(api.requests).toHaveLength(1);
  });

  it('a 422 is never retried', async () => {
    const error = await failure(
      client().createFlowSession({ customerReference: 'u', templateId: 'tmpl_wrong' }),
    );
    expect(error).toMatchObject({ status: 422, retryable: false, attempts: 1 });
    expect(error.errors[0].code).toBe('invalid_template');
    expect(api.requests).toHaveLength(1);
  });

  it('retries 429 and 503 on an idempotent POST, then succeeds', async () => {
    api.script.push({ status: 429, retryAfter: '0' }, { status: 503 });
    const result = await client().createFlowSession({ customerReference: 'user-retry' });
    expect(result.created).toBe(true);
    expect(api.requests).toHaveLength(3);
    expect(new Set(api.requests.map((request) => request.url))).toEqual(
      new Set(['/flow_sessions?idempotent=true']),
    );
  });

  it('gives up after maxRetries with the attempt count and retryable set', async () => {
    api.script.push({ status: 503 }, { status: 502 }, { status: 500 }, { status: 500 });
    const error = await failure(client({ maxRetries: 2 }).getFlowSession('flwses_abc'));
    expect(error).toMatchObject({ code: 'http', status: 500, retryable: true, attempts: 3 });
    expect(api.requests).toHaveLength(3);
  });

  it('never retries a POST that is not idempotent, even on a 503', async () => {
    api.script.push({ status: 503 });
    const error = await failure(
      client().createFlowSession({ customerReference: 'u-once' }, { idempotent: false }),
    );
    expect(error).toMatchObject({ status: 503, retryable: true, attempts: 1 });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0].url).toBe('/flow_sessions');
  });

  it('honours Retry-After in seconds, and signs each attempt afresh with a new Date', async () => {
    api.script.push({ status: 429, retryAfter: '1' });
    const started = Date.now();
    await client({ retryAfterMaxMs: 2_000 }).createFlowSession({ customerReference: 'u-date' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    const [first, second] = api.requests;
    expect(second.headers.date).not.toBe(first.headers.date);
    expect(second.headers.authorization).not.toBe(first.headers.authorization);
    expect(second.ownVerifier && second.referenceVerifier).toBe(true);
  });

  it('caps a long Retry-After (an HTTP date an hour away) at retryAfterMaxMs', async () => {
    api.script.push({ status: 503, retryAfter: new Date(Date.now() + 3_600_000).toUTCString() });
    const started = Date.now();
    await client({ retryAfterMaxMs: 30 })
      .getFlowSession('flwses_x')
      .catch(() => undefined);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(api.requests).toHaveLength(2);
  });

  it('times out an attempt that never answers, retries it, and reports code timeout', async () => {
    api.script.push({ hang: true }, { hang: true });
    const error = await failure(
      client({ timeoutMs: 100, maxRetries: 1 }).getFlowSession('flwses_t'),
    );
    expect(error).toMatchObject({ code: 'timeout', retryable: true, attempts: 2 });
    expect(error.status).toBeUndefined();
    expect(api.requests).toHaveLength(2);
  });

  it('reports a dropped connection as code network, after retrying it', async () => {
    api.script.push({ destroy: true }, { destroy: true }, { destroy: true });
    const error = await failure(client().getFlowSession('flwses_n'));
    expect(error).toMatchObject({ code: 'network', retryable: true, attempts: 3 });
  });

  it('never retries a POST that is not idempotent when the connection drops after it was sent', async () => {
    // The stand-in reads the whole request, counts it, then destroys the socket: the server may
    // have acted on it, so a second attempt could create a second session.
    api.script.push({ destroy: true }, { destroy: true }, { destroy: true });
    const error = await failure(
      client({ maxRetries: 2 }).createFlowSession(
        { customerReference: 'u-net-once' },
        { idempotent: false },
      ),
    );
    expect(error).toMatchObject({ code: 'network', retryable: true, attempts: 1 });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: 'POST', url: '/flow_sessions' });
  });

  it('retries an idempotent POST whose connection dropped after it was sent', async () => {
    api.script.push({ destroy: true }, { destroy: true });
    const result = await client({ maxRetries: 2 }).createFlowSession({
      customerReference: 'u-net-retry',
    });
    expect(result.created).toBe(true);
    expect(api.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /flow_sessions?idempotent=true',
      'POST /flow_sessions?idempotent=true',
      'POST /flow_sessions?idempotent=true',
    ]);
  });

  it('reports a refused connection as code network', async () => {
    const closed = await startFlowApiStandIn({ secret, apiKey });
    await closed.close();
    const error = await failure(
      client({ baseUrl: closed.baseUrl, maxRetries: 0 }).getFlowSession('flwses_n'),
    );
    expect(error).toMatchObject({ code: 'network', attempts: 1 });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('a 2xx that is not a session is invalid_response and is not retried', async () => {
    api.script.push({ status: 200, body: '<html>maintenance</html>' });
    const error = await failure(client().getFlowSession('flwses_h'));
    expect(error).toMatchObject({ code: 'invalid_response', status: 200, attempts: 1 });
    expect(api.requests).toHaveLength(1);
  });

  it('a wrong secret gets 401 from the stand-in, not retried', async () => {
    const error = await failure(client({ apiSecret: generateSecret() }).getFlowSession('flwses_w'));
    expect(error).toMatchObject({ status: 401, retryable: false, attempts: 1 });
    expect(error.message).toContain('FLOW_API_SECRET');
    expect(api.requests[0].ownVerifier).toBe(false);
    expect(api.requests[0].referenceVerifier).toBe(false);
  });

  it('checks the customer reference and the session id before any request', async () => {
    const flow = client();
    await expect(flow.createFlowSession({ customerReference: 'a\nb' })).rejects.toBeInstanceOf(
      InvalidCustomerReferenceError,
    );
    await expect(flow.createFlowSession({ customerReference: '' })).rejects.toBeInstanceOf(
      InvalidCustomerReferenceError,
    );
    for (const id of ['flwses_../../admin', 'other_123', 'flwses_a?x=1', '']) {
      await expect(flow.getFlowSession(id)).rejects.toThrow(TypeError);
    }
    await expect(
      client({ templateId: undefined }).createFlowSession({ customerReference: 'u' }),
    ).rejects.toThrow(/template id/);
    expect(api.requests).toHaveLength(0);
  });

  it('works under a base URL with a path prefix (signed with the prefix)', async () => {
    const behindProxy = await startFlowApiStandIn({ secret, apiKey, pathPrefix: '/cognito' });
    try {
      const flow = client({ baseUrl: `${behindProxy.baseUrl}/` });
      const { session } = await flow.createFlowSession({ customerReference: 'p' });
      await flow.getFlowSession(session.id);
      expect(behindProxy.requests.map((request) => request.url)).toEqual([
        '/cognito/flow_sessions?idempotent=true',
        `/cognito/flow_sessions/${session.id}`,
      ]);
      expect(behindProxy.requests.every((r) => r.ownVerifier && r.referenceVerifier)).toBe(true);
    } finally {
      await behindProxy.close();
    }
  });
});

describe('FlowApiClient never shows the secret or the Authorization header', () => {
  it('in errors (message, inspect, JSON) and in the client itself', async () => {
    api.script.push({ status: 503 }, { status: 503 }, { status: 503 });
    const flow = client();
    const error = await failure(flow.getFlowSession('flwses_leak'));
    const authorizations = api.requests.map((request) => String(request.headers.authorization));
    const signatures = authorizations.map((value) => /signature="([^"]+)"/.exec(value)?.[1] ?? '');
    const shown = [
      error.message,
      String(error.stack),
      inspect(error, { depth: 10, showHidden: true }),
      JSON.stringify(error),
      inspect(flow, { depth: 10, showHidden: true }),
      JSON.stringify(flow),
    ].join('\n');
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(secret.slice(-16));
    for (const signature of signatures) expect(shown).not.toContain(signature);
    expect(shown).not.toMatch(/Signature keyId/);
    expect(inspect(flow)).toContain(api.baseUrl);
  });

  it('in a configuration error', () => {
    const make = () => new FlowApiClient({ apiKey: secret, apiSecret: secret });
    expect(make).toThrow(/apiKey holds an API secret/);
    try {
      make();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(secret);
    }
  });
});
