import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FlowApiClient,
  FlowApiError,
  InvalidCustomerReferenceError,
  type FlowApiSession,
} from '../../lib/index.js';
import {
  DOCUMENTED_SESSION,
  DOCUMENTED_SESSION_JSON,
  DOCUMENTED_SESSION_TYPED,
} from '../fixtures/flow-session-example.js';
import { generateSecret } from '../support/test-secrets.js';
import { startFlowApiStandIn, type FlowApiStandIn } from './support/flow-api-stand-in.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
const templateId = 'flwtmp_RETRYTEMPLATE01';
let api: FlowApiStandIn;

function client(): FlowApiClient {
  return new FlowApiClient({
    apiKey,
    apiSecret: secret,
    templateId,
    baseUrl: api.baseUrl,
    backoffBaseMs: 1,
    backoffMaxMs: 5,
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

/** A handler written against FlowApiSession, as the docs show it: it must compile and run unchanged. */
function describeSession(session: FlowApiSession): string {
  const kyc = session.steps.kyc_check ?? 'absent';
  const ssn = session.user?.id_number?.value ?? 'none';
  return `${session.status} ${session.template.id}@${session.template.version} kyc:${kyc} ssn:${ssn}`;
}

beforeAll(async () => {
  api = await startFlowApiStandIn({ secret, apiKey });
});
afterAll(() => api.close());
beforeEach(() => {
  api.requests.length = 0;
  api.script.length = 0;
  api.answerType = 'application/vnd.api+json';
});

describe("the documented session (FLOW-PROTOCOL §6's example)", () => {
  it('parses into FlowApiSession, equal to the typed literal, field by field', () => {
    expect(DOCUMENTED_SESSION).toStrictEqual(DOCUMENTED_SESSION_TYPED);
    expect(DOCUMENTED_SESSION.template).toStrictEqual({ id: 'flwtmp_22222222222222', version: 2 });
    expect(Object.keys(DOCUMENTED_SESSION.steps)).toStrictEqual([
      'accept_tos',
      'verify_sms',
      'kyc_check',
      'documentary_verification',
      'selfie_check',
      'screening',
      'risk_check',
      'kyc_screen',
    ]);
    expect(DOCUMENTED_SESSION.user.id_number).toStrictEqual({
      value: '123456789',
      category: 'tax_id',
      type: 'us_ssn',
    });
    expect(DOCUMENTED_SESSION.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(DOCUMENTED_SESSION.shareable_url).toMatch(
      /^https:\/\/flow\.cognitohq\.com\/verify\/flwtmp_\w+\?key=[0-9a-f]{64}$/,
    );
    expect(describeSession(DOCUMENTED_SESSION)).toBe(
      'success flwtmp_22222222222222@2 kyc:success ssn:123456789',
    );
  });

  it('comes back from getFlowSession exactly as sent, in either JSON media type', async () => {
    api.sessions.set(DOCUMENTED_SESSION.id, JSON.parse(DOCUMENTED_SESSION_JSON) as never);
    for (const type of ['application/vnd.api+json', 'application/json; charset=utf-8']) {
      api.answerType = type;
      const session = await client().getFlowSession(DOCUMENTED_SESSION.id);
      expect(session).toStrictEqual(DOCUMENTED_SESSION);
      expect(session.documentary_verification?.documents[0].extracted_data.id_number).toBe(
        'AB123456',
      );
    }
  });

  it('refuses a 2xx whose media type is not JSON (a proxy page), without retrying', async () => {
    api.sessions.set(DOCUMENTED_SESSION.id, JSON.parse(DOCUMENTED_SESSION_JSON) as never);
    api.answerType = 'text/html';
    const error = await failure(client().getFlowSession(DOCUMENTED_SESSION.id));
    expect(error).toMatchObject({ code: 'invalid_response', status: 200, attempts: 1 });
  });
});

describe('FlowApiClient.retryFlowSession', () => {
  it('POSTs /flow_sessions/retry with reset by default, and returns the new session', async () => {
    const flow = client();
    const { session: old } = await flow.createFlowSession({ customerReference: 'user-r' });
    const renewed = await flow.retryFlowSession({ customerReference: 'user-r' });
    expect(renewed.id).not.toBe(old.id);
    expect(renewed.previous_session_id).toBe(old.id);
    expect(api.sessions.get(old.id)?.status).toBe('canceled');
    const post = api.requests[1];
    expect(post.method).toBe('POST');
    expect(post.url).toBe('/flow_sessions/retry');
    expect(post.body).toBe(
      `{"customer_reference":"user-r","template_id":"${templateId}","strategy":"reset"}`,
    );
    expect(post.headers['content-type']).toBe('application/vnd.api+json');
    expect(post.headers.accept).toBe('application/vnd.api+json');
    expect(post.ownVerifier && post.referenceVerifier).toBe(true);
  });

  it('sends the template and strategy given', async () => {
    await client()
      .retryFlowSession({ customerReference: 'u2', templateId: 'flwtmp_other0001', strategy: 'x' })
      .catch(() => undefined);
    expect(JSON.parse(api.requests[0].body)).toStrictEqual({
      customer_reference: 'u2',
      template_id: 'flwtmp_other0001',
      strategy: 'x',
    });
  });

  it('is never repeated: not after a 503, not after a dropped connection', async () => {
    api.script.push({ status: 503 });
    const answered = await failure(client().retryFlowSession({ customerReference: 'u3' }));
    expect(answered).toMatchObject({ code: 'http', status: 503, attempts: 1 });
    expect(api.requests).toHaveLength(1);
    api.script.push({ destroy: true });
    const dropped = await failure(client().retryFlowSession({ customerReference: 'u3' }));
    expect(dropped).toMatchObject({ code: 'network', attempts: 1 });
    expect(api.requests).toHaveLength(2);
    // Neither failure shows the secret or what authenticated the request.
    const authorization = String(api.requests[0].headers.authorization);
    for (const error of [answered, dropped]) {
      const shown = `${error.message}\n${JSON.stringify(error)}\n${inspect(error, { depth: 5 })}`;
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain(authorization.slice(-46, -2));
    }
  });

  it('checks the reference, the template and the strategy before any request', async () => {
    const flow = client();
    await expect(flow.retryFlowSession({ customerReference: 'a\nb' })).rejects.toBeInstanceOf(
      InvalidCustomerReferenceError,
    );
    await expect(
      flow.retryFlowSession({ customerReference: 'u', strategy: 'has space' }),
    ).rejects.toThrow(TypeError);
    await expect(flow.retryFlowSession({ customerReference: 'u', templateId: '' })).rejects.toThrow(
      TypeError,
    );
    expect(api.requests).toHaveLength(0);
  });
});
