import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlowEmulator, type FlowEmulator } from '../../lib/emulator/index.js';
import { launchChromium } from '../support/chromium.js';

let browser: Browser;
let emulator: FlowEmulator;
let host: Server;
let hostOrigin: string;
// Another page server on this machine, which the emulator was never told about.
let stranger: Server;
let strangerOrigin: string;

beforeAll(async () => {
  host = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(
      `<!doctype html><html><head><script src="${emulator.scriptUrl}"></script></head><body></body></html>`,
    );
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  stranger = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><html><body>elsewhere</body></html>');
  });
  await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', resolve));
  strangerOrigin = `http://127.0.0.1:${(stranger.address() as AddressInfo).port}`;
  // The app's receiver is the host server: its pages, under any loopback name, may use flow.js;
  // the dashboard's list holds only the 127.0.0.1 one.
  emulator = await startFlowEmulator({
    unsignedSessionLimit: 1,
    allowedOrigins: [hostOrigin],
    development: true,
    webhookUrl: `${hostOrigin}/webhook_receivers/flow`,
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
  await new Promise((resolve) => host?.close(resolve));
  await new Promise((resolve) => stranger?.close(resolve));
});

/** The signature of `customerReference` under the emulator's API secret, made here with node:crypto. */
function signatureOf(customerReference: string): string {
  return createHmac('sha256', emulator.keys.apiSecret).update(customerReference).digest('base64');
}

/** A page of the host app with flow.js loaded, recording console warnings and errors. */
async function hostPage(origin = hostOrigin) {
  const page: Page = await browser.newPage();
  const console: Array<[string, string]> = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error')
      console.push([message.type(), message.text()]);
  });
  await page.goto(`${origin}/`);
  return { page, console };
}

/** Opens Flow in the page with `user` and resolves with every event until the session or an error. */
function openFlow(page: Page, user: Record<string, unknown>) {
  return page.evaluate<Array<Record<string, unknown>>>(`new Promise((resolve) => {
    const events = [];
    const flow = new window.Flow({
      publishableKey: ${JSON.stringify(emulator.keys.publishableKey)},
      templateId: ${JSON.stringify(emulator.keys.templateId)},
      user: ${JSON.stringify(user)},
    });
    flow.on('all', (event) => {
      events.push(event);
      if (event.topic === 'session' || event.topic === 'error') resolve(events);
    });
    flow.open();
  })`);
}

describe('flow.js in Chromium, as Flow behaves', () => {
  it('opens an unsigned reference with a console warning, then refuses past the limit', async () => {
    const { page, console } = await hostPage();
    const events = await openFlow(page, { customerReference: 'unsigned-1' });
    expect(events.map((e) => `${String(e.topic)} ${String(e.action)}`)).toStrictEqual([
      'ui opened',
      'session created',
    ]);
    expect(console).toHaveLength(1);
    expect(console[0][0]).toBe('warning');
    expect(console[0][1]).toMatch(/user\.signature is missing.*first 1 sessions only/);
    await page.reload();
    const refused = await openFlow(page, { customerReference: 'unsigned-2' });
    expect(refused.at(-1)).toMatchObject({ topic: 'error' });
    expect(String(refused.at(-1)?.message)).toMatch(/requires user\.signature/);
    expect(
      console.some(([type, text]) => type === 'error' && /requires user\.signature/.test(text)),
    ).toBe(true);
    expect(emulator.unsignedSessions).toBe(1);
    await page.close();
  }, 60_000);

  it('opens a numeric customerReference signed over its decimal string', async () => {
    const { page, console } = await hostPage();
    const signature = signatureOf('987654');
    const events = await openFlow(page, { customerReference: 987654, signature });
    expect(events.at(-1)).toMatchObject({ topic: 'session', action: 'created' });
    expect(console).toStrictEqual([]);
    expect(emulator.sessions.some((s) => s.customer_reference === '987654')).toBe(true);
    await page.close();
  }, 60_000);

  it('refuses a page whose origin is not on the allow-list, with a console error', async () => {
    // The same page reached as localhost: another origin, not listed.
    const { page, console } = await hostPage(hostOrigin.replace('127.0.0.1', 'localhost'));
    const signature = signatureOf('elsewhere');
    const events = await openFlow(page, { customerReference: 'elsewhere', signature });
    expect(events.at(-1)).toMatchObject({ topic: 'error' });
    expect(String(events.at(-1)?.message)).toMatch(/not in the domain allow-list/);
    expect(console.filter(([type]) => type === 'error').map(([, text]) => text)).toContain(
      String(events.at(-1)?.message),
    );
    expect(emulator.sessions.some((s) => s.customer_reference === 'elsewhere')).toBe(false);
    await page.close();
  }, 60_000);

  it('ends a session expired from the dialog, then retries it into a new session', async () => {
    const { page } = await hostPage();
    const signature = signatureOf('dialog-1');
    await openFlow(page, { customerReference: 'dialog-1', signature });
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Expire session' }).click();
    await expect.poll(() => dialog.getAttribute('data-status')).toBe('expired');
    expect(await dialog.textContent()).toContain('The session expired.');
    const expiredId = await dialog.getAttribute('data-session-id');
    await dialog.getByRole('button', { name: 'Retry verification' }).click();
    await expect.poll(() => dialog.getAttribute('data-status')).toBe('active');
    const newId = await dialog.getAttribute('data-session-id');
    expect(newId).not.toBe(expiredId);
    expect(emulator.sessions.find((s) => s.id === newId)?.previous_session_id).toBe(expiredId);
    await dialog.getByRole('button', { name: 'Send to review' }).click();
    await expect.poll(() => dialog.getAttribute('data-status')).toBe('pending_review');
    await dialog.getByRole('button', { name: 'Pass verification' }).click();
    // "Verification passed." is shown, then the dialog closes by itself.
    const passed = page.locator('[role="dialog"][data-status="success"]');
    await passed.waitFor();
    expect(await passed.textContent()).toContain('Verification passed.');
    const shownAt = Date.now();
    await passed.waitFor({ state: 'detached', timeout: 10_000 });
    expect(Date.now() - shownAt).toBeGreaterThan(500);
    expect(await page.locator('.cfe-backdrop').count()).toBe(0);
    await page.close();
  }, 60_000);

  it('closes the dialog on Escape, telling the page (ui closed); the session stays active', async () => {
    const { page } = await hostPage();
    const signature = signatureOf('escape-1');
    const events = await page.evaluate<Array<Record<string, unknown>>>(`new Promise((resolve) => {
      const events = [];
      const flow = new window.Flow({
        publishableKey: ${JSON.stringify(emulator.keys.publishableKey)},
        templateId: ${JSON.stringify(emulator.keys.templateId)},
        user: { customerReference: 'escape-1', signature: ${JSON.stringify(signature)} },
      });
      flow.on('all', (event) => {
        events.push(event);
        if (event.topic === 'ui' && event.action === 'closed') resolve(events);
      });
      flow.on('session', () => setTimeout(() => {
        document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      }));
      flow.open();
    })`);
    expect(events.map((e) => `${String(e.topic)} ${String(e.action)}`)).toStrictEqual([
      'ui opened',
      'session created',
      'ui closed',
    ]);
    expect(await page.getByRole('dialog').count()).toBe(0);
    // A key from a real keyboard closes a reopened dialog too.
    await page.evaluate(`new window.Flow({
      publishableKey: ${JSON.stringify(emulator.keys.publishableKey)},
      templateId: ${JSON.stringify(emulator.keys.templateId)},
      user: { customerReference: 'escape-1', signature: ${JSON.stringify(signature)} },
    }).open()`);
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(emulator.sessions.find((s) => s.customer_reference === 'escape-1')?.status).toBe(
      'active',
    );
    await page.close();
  }, 60_000);

  it('keeps a page of another origin from reading the state or passing a session', async () => {
    const session = await emulator.end('stranger-1', 'pending_review');
    const page = await browser.newPage();
    await page.goto(`${strangerOrigin}/`);
    const outcome = await page.evaluate<Record<string, string>>(`(async () => {
      const base = ${JSON.stringify(emulator.apiBaseUrl)};
      const read = await fetch(base + '/emulator/state').then(() => 'read', (e) => 'blocked: ' + e.name);
      // A simple cross-site POST is sent even though its answer is hidden: it must change nothing.
      await fetch(base + '/emulator/sessions/${session.id}/pass', {
        method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: '{}',
      }).catch(() => undefined);
      return { read };
    })()`);
    expect(outcome.read).toBe('blocked: TypeError');
    expect(emulator.sessions.find((s) => s.id === session.id)?.status).toBe('pending_review');
    await page.close();
  }, 60_000);
});
