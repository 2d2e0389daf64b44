import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { buildSample, ROOT, startBuiltSample, type BuiltSample } from './built-sample.js';
import { runBuiltCli } from '../cli/run-built-cli.js';
import { ALICE, BOB } from './sample-test-app.js';

const RESULTS_DIR = join(ROOT, 'test-results');
// `npm start` keeps its development secret here; a file this test creates is removed after it.
const DEV_SECRET_FILE = join(ROOT, '.flow-dev-secret');

/** The emulator state the sample's emulator reports at `/emulator/state`. */
interface EmulatorState {
  sessions: Array<{
    id: string;
    customer_reference: string;
    status: string;
    shareable_url: string;
  }>;
  deliveries: Array<{
    event: string;
    step: string | null;
    state: string;
    attempts: Array<{ status?: number }>;
  }>;
}

function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  // data: and blob: URLs never touch the network.
  if (protocol === 'data:' || protocol === 'blob:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost';
}

describe('the sample offline, on the Flow emulator, in Chromium', () => {
  let createdSecretFile = false;
  let sample: BuiltSample;
  let emulatorUrl: string;
  let browser: Browser;
  const requested: string[] = [];
  const leaked: string[] = [];
  const notFound: string[] = [];

  async function newPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    // Every request the pages make is seen here; one for another host is refused and recorded.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requested.push(url);
      if (isLocal(url)) return route.continue();
      leaked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('response', (response) => {
      if (response.status() === 404) notFound.push(response.url());
    });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    return { context, page, errors };
  }

  async function logIn(page: Page, user: { username: string; password: string }) {
    await page.goto(`${sample.baseUrl}/`);
    await page.fill('#username', user.username);
    await page.fill('#password', user.password);
    await page.click('#login-button');
    await page.waitForSelector('#app:not([hidden])');
    await page.waitForFunction(
      `document.getElementById('flow-config').textContent.includes('signature')`,
    );
  }

  async function emulatorState(): Promise<EmulatorState> {
    return (await (await fetch(`${emulatorUrl}emulator/state`)).json()) as EmulatorState;
  }

  beforeAll(async () => {
    createdSecretFile = !existsSync(DEV_SECRET_FILE);
    await buildSample();
    // A fresh start: not one FLOW_* variable.
    sample = await startBuiltSample({});
    const match = /Emulator status page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(sample.output());
    if (!match) throw new Error(`No emulator in the banner:\n${sample.output()}`);
    emulatorUrl = match[1];
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await sample?.stop();
    if (createdSecretFile) rmSync(DEV_SECRET_FILE, { force: true });
  });

  it('says so at start-up and serves the emulator script to the page', async () => {
    expect(sample.output()).toContain('the sample runs OFFLINE on the local Flow emulator');
    expect(sample.output()).not.toContain('PLACEHOLDER');
    const settings = (await (await fetch(`${sample.baseUrl}/api/sample/config`)).json()) as {
      flowScriptUrl: string;
    };
    expect(settings.flowScriptUrl).toBe(`${emulatorUrl}flow.js`);
  });

  it('logs in, passes verification in the emulated dialog, and shows the step events then the status', async () => {
    const { context, page, errors } = await newPage();
    await logIn(page, ALICE);
    expect(await page.textContent('#kyc-status')).toBe('not started');

    await page.click('#verify');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Pass verification' }).click();
    // The dialog says so, then closes by itself.
    await page.locator('[role="dialog"][data-status="success"]').waitFor();
    await page.waitForFunction(
      `document.getElementById('kyc-status').textContent === 'success'`,
      null,
      { timeout: 15_000 },
    );
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });

    // Page-side code is given as a string: it runs in the browser, not in Node.
    const rows = await page.evaluate<string[]>(
      `[...document.querySelectorAll('#kyc-history tr')].map((tr) => tr.cells[1].textContent)`,
    );
    expect(rows).toStrictEqual([
      'step accept_tos (active)',
      'step verify_sms (active)',
      'step kyc_check (active)',
      'success',
    ]);

    const state = await emulatorState();
    const session = state.sessions.find((s) => s.customer_reference === ALICE.id);
    expect(session?.status).toBe('success');
    expect(
      state.deliveries.map((d) => [d.event, d.step, d.state, d.attempts.map((a) => a.status)]),
    ).toStrictEqual([
      ['flow_session.step.updated', 'accept_tos', 'delivered', [200]],
      ['flow_session.step.updated', 'verify_sms', 'delivered', [200]],
      ['flow_session.step.updated', 'kyc_check', 'delivered', [200]],
      ['flow_session.status.updated', null, 'delivered', [200]],
    ]);
    expect(errors).toStrictEqual([]);

    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'sample-emulator.png'), fullPage: true });
    await context.close();
  }, 90_000);

  it("emits Flow's front-end events, and shows the same dialog at the session's shareable_url", async () => {
    const { context, page, errors } = await newPage();
    await logIn(page, ALICE);
    await page.click('#verify');
    await page.getByRole('dialog').waitFor();
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
    // Page-side code as a string; flowConfig is the page's own global (the signed configuration).
    const events = await page.evaluate<Array<Record<string, unknown>>>(`new Promise((resolve) => {
      const events = [];
      const flow = new window.Flow(flowConfig);
      flow.on('all', (event) => {
        events.push(event);
        if (event.topic === 'session') flow.close();
        if (event.topic === 'ui' && event.action === 'closed') resolve(events);
      });
      flow.open();
    })`);
    const session = (await emulatorState()).sessions.find((s) => s.customer_reference === ALICE.id);
    expect(events).toStrictEqual([
      { topic: 'ui', action: 'opened' },
      { topic: 'session', action: 'resumed', data: { id: session?.id } },
      { topic: 'ui', action: 'closed' },
    ]);
    // Without a signature Flow still opens (for a limited number of sessions), warning loudly.
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    const unsigned = await page.evaluate<Array<Record<string, unknown>>>(`new Promise((resolve) => {
      const events = [];
      const flow = new window.Flow({ ...flowConfig, user: { ...flowConfig.user, signature: undefined } });
      flow.on('all', (event) => {
        events.push(event);
        if (event.topic === 'session') flow.close();
        if (event.topic === 'ui' && event.action === 'closed') resolve(events);
      });
      flow.open();
    })`);
    expect(unsigned.map((event) => `${String(event.topic)} ${String(event.action)}`)).toStrictEqual(
      ['ui opened', 'session resumed', 'ui closed'],
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/user\.signature is missing/);
    expect(errors).toStrictEqual([]);

    const hosted = await context.newPage();
    expect(session?.shareable_url).toMatch(/\/verify\/flwtmp_\w+\?key=[0-9a-f]{64}$/);
    await hosted.goto(session?.shareable_url ?? '');
    const dialog = hosted.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getAttribute('data-status')).toBe('success');
    expect(await dialog.textContent()).toContain('Verification passed.');
    await context.close();
  }, 90_000);

  it('hands Flow a wrong signature: a console error naming it, and no session', async () => {
    const { context, page, errors } = await newPage();
    // The backend's answer, with the signature swapped for 32 zero bytes.
    await page.route('**/api/users/current/flow_signature', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { user: { signature: string } };
      body.user.signature = `${'A'.repeat(43)}=`;
      await route.fulfill({ response, json: body });
    });
    await logIn(page, BOB);
    await page.click('#verify');
    await expect.poll(() => errors.join('\n'), { timeout: 15_000 }).toMatch(/invalid signature/);
    expect(await page.getByRole('dialog').count()).toBe(0);
    const state = await emulatorState();
    expect(state.sessions.filter((s) => s.customer_reference === BOB.id)).toStrictEqual([]);
    await context.close();
  }, 90_000);

  it('shows the trigger command; run as shown, it turns the page to success through fetchSession()', async () => {
    const { context, page, errors } = await newPage();
    await logIn(page, BOB);
    expect(await page.textContent('#cli-title')).toBe('Trigger a verification from your terminal');
    const command = (await page.textContent('#cli-command')) ?? '';
    expect(command).toContain('npx cognito-flow trigger flow_session.status.updated');
    expect(command).toContain(`--customer-reference ${BOB.id}`);
    expect(command).not.toContain('webhook send');
    const words = command.replace(/\\\n/g, ' ').trim().split(/\s+/);
    expect(words.slice(0, 2)).toStrictEqual(['npx', 'cognito-flow']);
    // Run from the sample's folder, as a reader pastes it: the secret file's path is relative.
    const run = await runBuiltCli(words.slice(2), { cwd: ROOT, env: { NODE_ENV: 'development' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('4/4 webhooks answered 2xx.');
    const sessionId = /^Session (flwses_\w+) \(created\)/m.exec(run.stdout)?.[1];
    await page.waitForFunction(
      `document.getElementById('kyc-status').textContent === 'success'`,
      null,
      { timeout: 15_000 },
    );
    // The sample's handler confirms with fetchSession(): it answered 2xx, so the API knew the session.
    const state = await emulatorState();
    expect(state.sessions.find((s) => s.customer_reference === BOB.id)?.id).toBe(sessionId);

    // The history fits its card: ids on one line, times to the second.
    const layout = await page.evaluate<{ overflow: number; idLines: number[]; times: string[] }>(
      `(() => {
        const table = document.querySelector('.history');
        const card = table.closest('.card');
        const rows = [...document.querySelectorAll('#kyc-history tr')];
        const lines = (cell) => {
          const range = document.createRange();
          range.selectNodeContents(cell);
          return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
        };
        return {
          overflow: table.getBoundingClientRect().right - card.getBoundingClientRect().right,
          idLines: rows.map((tr) => lines(tr.cells[0])),
          times: rows.map((tr) => tr.cells[2].textContent),
        };
      })()`,
    );
    expect(layout.overflow).toBeLessThanOrEqual(0);
    expect(layout.idLines).toStrictEqual([1, 1, 1, 1]);
    for (const time of layout.times) expect(time).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(errors).toStrictEqual([]);
    await context.close();
  }, 90_000);

  it("the banner's trigger command, pasted as printed, runs", async () => {
    const output = sample.output();
    const start = output.indexOf('  npx cognito-flow trigger');
    expect(start).toBeGreaterThan(-1);
    const lines = output.slice(start).split('\n');
    const end = lines.findIndex((line) => !line.endsWith('\\'));
    const words = lines
      .slice(0, end + 1)
      .join(' ')
      .replace(/\\ /g, ' ')
      .trim()
      .split(/\s+/);
    expect(words.slice(0, 3)).toStrictEqual(['npx', 'cognito-flow', 'trigger']);
    expect(words).toContain(ALICE.id);
    // Run from the sample's folder, as a reader pastes it: the secret file's path is relative.
    const run = await runBuiltCli(words.slice(2), { cwd: ROOT, env: { NODE_ENV: 'development' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('4/4 webhooks answered 2xx.');
  });

  it('no request of the pages was answered 404 (the icon is inline)', () => {
    expect(notFound).toStrictEqual([]);
  });

  it('made no request that left the machine', () => {
    expect(requested.some((url) => url === `${emulatorUrl}flow.js`)).toBe(true);
    expect(requested.some((url) => url.startsWith(`${emulatorUrl}emulator/`))).toBe(true);
    expect(leaked).toStrictEqual([]);
    expect(requested.every(isLocal)).toBe(true);
  });

  it('never printed the development secret', () => {
    const secret = readFileSync(DEV_SECRET_FILE, 'utf8').trim();
    expect(sample.output()).not.toContain(secret);
  });
});
