import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlowEmulator, type FlowEmulator } from '../../lib/emulator/index.js';

let emulator: FlowEmulator;
const APP_ORIGIN = 'http://localhost:3000';

beforeAll(async () => {
  // The host app's page is on http://localhost:3000: the emulator is told so.
  emulator = await startFlowEmulator({
    steps: ['accept_tos', 'kyc_check'],
    allowedOrigins: [APP_ORIGIN],
    development: true,
  });
});
afterAll(() => emulator.close());

/** What the emulator's flow.js sends on `open()`, for a reference signed with the emulator's secret. */
function startRequest(customerReference: string, signature?: string) {
  return {
    publishableKey: emulator.keys.publishableKey,
    templateId: emulator.keys.templateId,
    user: {
      customerReference,
      signature:
        signature ??
        createHmac('sha256', emulator.keys.apiSecret).update(customerReference).digest('base64'),
    },
  };
}

async function post(path: string, body: unknown = {}) {
  const response = await fetch(`${emulator.apiBaseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain', Origin: APP_ORIGIN },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    cors: response.headers.get('access-control-allow-origin'),
    json: (await response.json()) as {
      created?: boolean;
      session: {
        id: string;
        status: string;
        steps: Record<string, string>;
        previous_session_id: string | null;
      };
      warning?: string;
      errors: Array<{ code: string; message: string }>;
    },
  };
}

describe("the emulator's browser routes", () => {
  it('opens a session for a signed reference (created), then resumes the same one', async () => {
    const first = await post('/emulator/open', startRequest('<b>ref</b>'));
    expect(first.status).toBe(201);
    expect(first.cors).toBe(APP_ORIGIN);
    expect(first.json.created).toBe(true);
    const again = await post('/emulator/open', startRequest('<b>ref</b>'));
    expect(again.status).toBe(200);
    expect(again.json.created).toBe(false);
    expect(again.json.session.id).toBe(first.json.session.id);
  });

  it('refuses a wrong signature with a message naming it and opens nothing', async () => {
    const before = emulator.sessions.length;
    const refused = await post('/emulator/open', startRequest('someone', `${'A'.repeat(43)}=`));
    expect(refused.status).toBe(401);
    expect(refused.cors).toBe(APP_ORIGIN);
    expect(refused.json.errors[0].code).toBe('invalid_signature');
    expect(refused.json.errors[0].message).toMatch(/invalid signature/);
    expect((await post('/emulator/open', 'not an object')).status).toBe(401);
    expect(emulator.sessions).toHaveLength(before);
  });

  it('walks the steps, refuses actions that do not fit the state, and retries a failed session as a new one', async () => {
    const { json } = await post('/emulator/open', startRequest('walker'));
    const id = json.session.id;
    const advanced = await post(`/emulator/sessions/${id}/advance`);
    expect(advanced.json.session.steps).toMatchObject({
      accept_tos: 'success',
      kyc_check: 'active',
    });
    expect((await post(`/emulator/sessions/${id}/retry`)).status).toBe(409);
    const failed = await post(`/emulator/sessions/${id}/fail`);
    expect(failed.json.session.status).toBe('failed');
    expect(failed.json.session.steps).toMatchObject({ accept_tos: 'success', kyc_check: 'failed' });
    expect((await post(`/emulator/sessions/${id}/pass`)).status).toBe(409);
    const retried = await post(`/emulator/sessions/${id}/retry`);
    expect(retried.json.session.status).toBe('active');
    expect(retried.json.session.previous_session_id).toBe(id);
    const next = retried.json.session.id;
    expect((await post(`/emulator/sessions/${id}/retry`)).status).toBe(409);
    expect((await post(`/emulator/sessions/${next}/pass`)).json.session.status).toBe('success');
    const missing = await post('/emulator/sessions/flwses_nosuchsession/pass');
    expect(missing.status).toBe(404);
    expect(emulator.deliveries.map((d) => [d.event, d.sessionId, d.status])).toStrictEqual([
      ['flow_session.step.updated', id, 'active'],
      ['flow_session.step.updated', id, 'active'],
      ['flow_session.status.updated', id, 'failed'],
      ['flow_session.status.updated', id, 'canceled'],
      ['flow_session.retried', next, 'active'],
      ['flow_session.step.updated', next, 'active'],
      ['flow_session.step.updated', next, 'active'],
      ['flow_session.status.updated', next, 'success'],
    ]);
  });

  it('ends a session expired, canceled or pending_review from the dialog, each with its status webhook', async () => {
    const ends: Array<[string, string]> = [
      ['expire', 'expired'],
      ['cancel', 'canceled'],
      ['review', 'pending_review'],
    ];
    for (const [action, status] of ends) {
      const { json } = await post('/emulator/open', startRequest(`end-${action}`));
      const before = emulator.deliveries.length;
      const ended = await post(`/emulator/sessions/${json.session.id}/${action}`);
      expect(ended.json.session.status).toBe(status);
      const sent = emulator.deliveries.slice(before);
      expect(sent.at(-1)).toMatchObject({ event: 'flow_session.status.updated', status });
      // Only a review passes the remaining steps first.
      expect(sent.length).toBe(action === 'review' ? 3 : 1);
    }
    const reviewed = emulator.sessions.find((s) => s.customer_reference === 'end-review')!;
    expect((await post(`/emulator/sessions/${reviewed.id}/advance`)).status).toBe(409);
    const decided = await post(`/emulator/sessions/${reviewed.id}/pass`);
    expect(decided.json.session.status).toBe('success');
  });

  it("answers the CORS preflight of the host app's page with its origin only", async () => {
    const response = await fetch(`${emulator.apiBaseUrl}/emulator/open`, {
      method: 'OPTIONS',
      headers: { Origin: APP_ORIGIN, 'Access-Control-Request-Method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('serves a hosted page at each shareable_url, and 404 for an unknown session', async () => {
    const [session] = emulator.sessions;
    const page = await fetch(session.shareable_url!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<script src="/flow.js"></script>');
    expect(html).toContain(`data-session-id="${session.id}"`);
    const wrongKey = session.shareable_url!.replace(/key=[0-9a-f]/, (k) =>
      k.endsWith('0') ? 'key=1' : 'key=0',
    );
    expect((await fetch(wrongKey)).status).toBe(404);
    expect((await fetch(session.shareable_url!.replace(/\?key=.*$/, ''))).status).toBe(404);
  });

  it('lists sessions and deliveries on its status page, escaping what users typed', async () => {
    const html = await (await fetch(emulator.url)).text();
    expect(html).toContain('&lt;b&gt;ref&lt;/b&gt;');
    expect(html).not.toContain('<b>ref</b>');
    for (const session of emulator.sessions) expect(html).toContain(session.id);
    for (const delivery of emulator.deliveries) expect(html).toContain(delivery.eventId);
    expect(html).toContain(emulator.keys.publishableKey);
    expect(html).not.toContain(emulator.keys.apiSecret);
  });

  it('shows its API key (the key id) on the status page and in /emulator/state, never the secret', async () => {
    const html = await (await fetch(emulator.url)).text();
    expect(html).toContain(`API key: <code>${emulator.keys.apiKey}</code>`);
    const state = await (await fetch(`${emulator.apiBaseUrl}/emulator/state`)).text();
    expect(JSON.parse(state)).toMatchObject({
      keys: {
        apiKey: emulator.keys.apiKey,
        publishableKey: emulator.keys.publishableKey,
        templateId: emulator.keys.templateId,
      },
    });
    expect(state).not.toContain(emulator.keys.apiSecret);
  });

  it('answers 404 with an errors array elsewhere, and 413 for a body over 64 KiB', async () => {
    const other = await fetch(`${emulator.apiBaseUrl}/nothing-here`);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { errors: unknown[] }).errors).toHaveLength(1);
    const before = emulator.sessions.length;
    const big = await fetch(`${emulator.apiBaseUrl}/emulator/open`, {
      method: 'POST',
      body: JSON.stringify({ ...startRequest('big'), padding: 'x'.repeat(70 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(emulator.sessions).toHaveLength(before);
    expect((await fetch(`${emulator.apiBaseUrl}/flow.js`)).status).toBe(200);
  });
});
