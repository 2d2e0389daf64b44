import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { runCommand } from '../support/run-node.js';
import { generateSecret } from '../support/test-secrets.js';
import { buildSample, cleanEnv, ROOT, startBuiltSample, type BuiltSample } from './built-sample.js';
import { ALICE } from './sample-test-app.js';

// The sample's default: the page must load Flow from Cognito's CDN unless told otherwise.
const FLOW_SCRIPT_URL = 'https://cdn.cognitohq.com/flow.js';
const PUBLISHABLE_KEY = 'sandbox_publishable_key_feedfacefeedfacefeedfacefeedface';
const TEMPLATE_ID = 'flwtmp_browsertest0001';

// Served instead of Cognito's script: a Flow class that records what it was constructed with.
// structuredClone refuses functions, so a config carrying anything but data is not recorded.
const FLOW_STAND_IN = `
window.__flowCalls = [];
window.__flowOpened = 0;
window.Flow = class Flow {
  constructor(options) { window.__flowCalls.push(structuredClone(options)); }
  open() { window.__flowOpened += 1; }
  on() { return this; }
};`;

const RESULTS_DIR = join(ROOT, 'test-results');

describe('the sample in Chromium', () => {
  const secret = generateSecret();
  let sample: BuiltSample;
  let browser: Browser;
  let page: Page;
  const received: Array<Promise<string>> = [];

  beforeAll(async () => {
    await buildSample();
    sample = await startBuiltSample({
      FLOW_API_SECRET: secret,
      FLOW_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
      FLOW_TEMPLATE_ID: TEMPLATE_ID,
      SAMPLE_JWT_SECRET: randomBytes(32).toString('base64url'),
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    // Everything the browser receives, headers and body, is kept for the no-secret check.
    page.on('response', (response) => {
      received.push(
        (async () => {
          // A response still arriving when the browser closes has nothing left to read.
          const headers = await response.allHeaders().then(JSON.stringify, () => '');
          const body = await response.text().catch(() => '');
          return `${response.url()}\n${headers}\n${body}`;
        })(),
      );
    });
    await page.route(FLOW_SCRIPT_URL, (route) =>
      route.fulfill({ status: 200, contentType: 'application/javascript', body: FLOW_STAND_IN }),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await sample?.stop();
  });

  it('logs in, opens Flow with the signed configuration, and shows a webhook status change', async () => {
    await page.goto(`${sample.baseUrl}/`);
    await page.fill('#username', ALICE.username);
    await page.fill('#password', 'bob-password');
    await page.click('#login-button');
    await page.waitForSelector('#login-error:not([hidden])');
    expect(await page.textContent('#login-error')).toBe('Wrong user name or password.');
    expect(await page.isHidden('#app')).toBe(true);

    await page.fill('#username', ALICE.username);
    await page.fill('#password', ALICE.password);
    await page.click('#login-button');
    await page.waitForSelector('#app:not([hidden])');
    // Page-side code is given as strings: it runs in the browser, not in Node.
    await page.waitForFunction(
      `document.getElementById('flow-config').textContent.includes('signature')`,
    );

    const initialStatus = await page.textContent('#kyc-status');
    expect(initialStatus).toBe('not started');
    // With real Flow there is no emulator: the page offers webhook send, not trigger.
    const command = (await page.textContent('#cli-command')) ?? '';
    expect(command).toContain('npx cognito-flow webhook send');
    expect(command).toContain(`--customer-reference ${ALICE.id}`);
    expect(command).not.toContain('trigger');

    await page.click('#verify');
    await page.waitForFunction('window.__flowOpened === 1');
    const calls = await page.evaluate('window.__flowCalls');
    const signature = createHmac('sha256', secret).update(ALICE.id, 'utf8').digest('base64');
    expect(calls).toStrictEqual([
      {
        publishableKey: PUBLISHABLE_KEY,
        templateId: TEMPLATE_ID,
        user: { customerReference: ALICE.id, signature },
      },
    ]);

    const cli = await runCommand(
      process.execPath,
      [
        'dist/cli/main.js',
        'webhook',
        'send',
        `${sample.baseUrl}/webhook_receivers/flow`,
        '--event',
        'flow_session.status.updated',
        '--customer-reference',
        ALICE.id,
        '--status',
        'success',
      ],
      { cwd: ROOT, env: cleanEnv({ FLOW_API_SECRET: secret }), timeoutMs: 30_000 },
    );
    expect(cli.code, `${cli.stdout}${cli.stderr}`).toBe(0);

    await page.waitForFunction(
      `document.getElementById('kyc-status').textContent === 'success'`,
      null,
      {
        timeout: 15_000,
      },
    );
    expect(await page.textContent('#kyc-status')).not.toBe(initialStatus);
    expect(await page.textContent('#kyc-history')).toContain('success');

    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'sample-browser.png'), fullPage: true });
  }, 60_000);

  it('draws the webhook activity chart with non-zero bars after deliveries and a refusal', async () => {
    // The first test delivered one signed event; one unsigned delivery is refused.
    const refused = await fetch(`${sample.baseUrl}/webhook_receivers/flow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(401);
    await page.waitForSelector(
      '#activity-chart g[data-series="refusal"][data-name="missing_authorization"]',
      { timeout: 10_000 },
    );
    const bars = await page.evaluate<
      Array<{ series: string; name: string; count: number; width: number }>
    >(
      `[...document.querySelectorAll('#activity-chart g')].map((group) => ({
        series: group.dataset.series,
        name: group.dataset.name,
        count: Number(group.dataset.count),
        width: Number(group.querySelector('rect').getAttribute('width')),
      }))`,
    );
    expect(bars).toEqual([
      { series: 'delivery', name: 'processed', count: 1, width: expect.any(Number) as number },
      {
        series: 'refusal',
        name: 'missing_authorization',
        count: 1,
        width: expect.any(Number) as number,
      },
    ]);
    for (const bar of bars) expect(bar.width).toBeGreaterThan(0);
    expect(await page.isHidden('#activity-empty')).toBe(true);
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.locator('#activity').screenshot({ path: join(RESULTS_DIR, 'sample-activity.png') });
  }, 30_000);

  it('never sent the API secret to the browser, nor printed it', async () => {
    const responses = await Promise.all(received);
    // The page, its script and styles, its settings, login, the signature, the status polls, the stand-in.
    expect(responses.some((text) => text.includes('/api/users/current/flow_signature'))).toBe(true);
    expect(responses.length).toBeGreaterThanOrEqual(7);
    for (const text of responses) expect(text).not.toContain(secret);
    expect(sample.output()).not.toContain(secret);
  });
});

describe('the built sample without FLOW_API_SECRET', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'flow-sample-built-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on a development secret saved with mode 0600 and names the file, never the secret', async () => {
    const file = join(dir, '.flow-dev-secret');
    // The emulator stays off so the placeholder path is what starts.
    const sample = await startBuiltSample({
      FLOW_DEV_SECRET_FILE: file,
      SAMPLE_FLOW_EMULATOR: 'off',
    });
    try {
      const devSecret = readFileSync(file, 'utf8').replace(/\n$/, '');
      expect(devSecret).toMatch(/^sandbox_secret_[0-9a-f]{64}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(sample.output()).toContain(file);
      expect(sample.output()).toContain('PLACEHOLDER');
      expect(sample.output()).not.toContain(devSecret);
      expect(sample.output()).not.toContain(devSecret.slice('sandbox_secret_'.length));
    } finally {
      await sample.stop();
    }
  });
});
