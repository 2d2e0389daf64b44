import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFlowApiStandIn, type FlowApiStandIn } from '../api/support/flow-api-stand-in.js';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';
import { ALICE, getJson, logIn, startSample, type RunningSample } from './sample-test-app.js';

const secret = generateSecret();
// The key id the test webhooks announce, so they verify against FLOW_API_KEY.
const apiKey = `sandbox_key_${'0'.repeat(32)}`;
const sessionId = 'flwses_samplesession01';
let api: FlowApiStandIn;
let sample: RunningSample;

beforeAll(async () => {
  api = await startFlowApiStandIn({ secret, apiKey });
  sample = await startSample({
    FLOW_API_SECRET: secret,
    FLOW_API_KEY: apiKey,
    FLOW_API_BASE_URL: api.baseUrl,
    FLOW_TEMPLATE_ID: 'flwtmp_sampletemplate01',
  });
});
afterAll(async () => {
  await sample?.close();
  await api?.close();
});
beforeEach(() => {
  api.requests.length = 0;
  api.script.length = 0;
});

function sendStatus(id: string, status: string) {
  const body = flowEventBody({
    id,
    timestamp: '2026-03-01T10:00:00Z',
    data: {
      object: 'flow_session',
      id: sessionId,
      status,
      step: null,
      customer_reference: ALICE.id,
    },
  });
  const headers = testHeaders({ secret, keyId: apiKey, body, url: '/webhook_receivers/flow' });
  return fetch(`${sample.baseUrl}/webhook_receivers/flow`, { method: 'POST', headers, body });
}

describe('the sample with FLOW_API_KEY set', () => {
  it("answers the logged-in user's hosted session at POST /api/users/current/flow_session", async () => {
    const token = await logIn(sample.baseUrl, ALICE);
    const response = await fetch(`${sample.baseUrl}/api/users/current/flow_session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { sessionId: string; shareableUrl: string };
    expect(body.shareableUrl).toBe(`https://flow.cognitohq.com/verify/${body.sessionId}`);
    expect(api.requests).toHaveLength(1);
    expect(JSON.parse(api.requests[0].body)).toMatchObject({
      shareable: true,
      template_id: 'flwtmp_sampletemplate01',
      user: { customer_reference: ALICE.id },
    });
    const anonymous = await fetch(`${sample.baseUrl}/api/users/current/flow_session`, {
      method: 'POST',
    });
    expect(anonymous.status).toBe(401);
    expect(api.requests).toHaveLength(1);
  });

  it('records the status the API confirms, not the one a late webhook carries', async () => {
    api.sessions.set(sessionId, {
      id: sessionId,
      object: 'flow_session',
      status: 'success',
      customer_reference: ALICE.id,
    });
    expect((await sendStatus('whkevt_sampleapi0001', 'failed')).status).toBe(200);
    expect(api.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      `GET /flow_sessions/${sessionId}`,
    ]);
    const token = await logIn(sample.baseUrl, ALICE);
    const kyc = await getJson(sample.baseUrl, '/api/users/current/kyc', token);
    expect((kyc.body as { status: string }).status).toBe('success');
  });

  it('answers 5xx (so Cognito retries) when the API cannot be read', async () => {
    api.script.push({ status: 503 }, { status: 503 }, { status: 503 });
    const answer = await sendStatus('whkevt_sampleapi0002', 'success');
    expect(answer.status).toBeGreaterThanOrEqual(500);
  });
});
