import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlowEmulator, type FlowEmulator } from '../../lib/emulator/index.js';

let emulator: FlowEmulator;

beforeAll(async () => {
  emulator = await startFlowEmulator({ steps: ['accept_tos', 'kyc_check'] });
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
    headers: { 'Content-Type': 'text/plain', Origin: 'http://localhost:3000' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    cors: response.headers.get('access-control-allow-origin'),
    json: (await response.json()) as {
      created?: boolean;
      session: { id: string; status: string; steps: Array<{ status: string }> };
      errors: Array<{ code: string; message: string }>;
    },
  };
}

describe("the emulator's browser routes", () => {
  it('opens a session for a signed reference (created), then resumes the same one', async () => {
    const first = await post('/emulator/open', startRequest('<b>ref</b>'));
    expect(first.status).toBe(201);
    expect(first.cors).toBe('*');
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
    expect(refused.cors).toBe('*');
    expect(refused.json.errors[0].code).toBe('invalid_signature');
    expect(refused.json.errors[0].message).toMatch(/invalid signature/);
    expect((await post('/emulator/open', 'not an object')).status).toBe(401);
    expect(emulator.sessions).toHaveLength(before);
  });

  it('walks the steps, refuses actions that do not fit the state, and retries a failed session', async () => {
    const { json } = await post('/emulator/open', startRequest('walker'));
    const id = json.session.id;
    const advanced = await post(`/emulator/sessions/${id}/advance`);
    expect(advanced.json.session.steps.map((s) => s.status)).toStrictEqual([
      'completed',
      'pending',
    ]);
    expect((await post(`/emulator/sessions/${id}/retry`)).status).toBe(409);
    const failed = await post(`/emulator/sessions/${id}/fail`);
    expect(failed.json.session.status).toBe('failed');
    expect(failed.json.session.steps.map((s) => s.status)).toStrictEqual(['completed', 'failed']);
    expect((await post(`/emulator/sessions/${id}/pass`)).status).toBe(409);
    const retried = await post(`/emulator/sessions/${id}/retry`);
    expect(retried.json.session.status).toBe('active');
    expect((await post(`/emulator/sessions/${id}/pass`)).json.session.status).toBe('success');
    const missing = await post('/emulator/sessions/flwses_nosuchsession/pass');
    expect(missing.status).toBe(404);
    expect(emulator.deliveries.map((d) => d.event)).toStrictEqual([
      'flow_session.step.updated',
      'flow_session.step.updated',
      'flow_session.status.updated',
      'flow_session.retried',
      'flow_session.step.updated',
      'flow_session.step.updated',
      'flow_session.status.updated',
    ]);
  });

  it('answers the CORS preflight of a host page', async () => {
    const response = await fetch(`${emulator.apiBaseUrl}/emulator/open`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('serves a hosted page at each shareable_url, and 404 for an unknown session', async () => {
    const [session] = emulator.sessions;
    const page = await fetch(session.shareable_url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<script src="/flow.js"></script>');
    expect(html).toContain(`data-session-id="${session.id}"`);
    expect((await fetch(`${emulator.apiBaseUrl}/hosted/flwses_nosuchsession`)).status).toBe(404);
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
