import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSampleConfig, SampleConfigError } from '../../sample/src/config/sample-config.js';
import {
  pointWebhooksAtApp,
  startSampleEmulator,
} from '../../sample/src/config/sample-emulator.js';
import { startUpBanner } from '../../sample/src/config/start-up-banner.js';
import { generateSecret } from '../support/test-secrets.js';

describe('when the sample starts the Flow emulator', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flow-sample-emulator-'));
    env = { FLOW_DEV_SECRET_FILE: join(dir, '.flow-dev-secret') };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts it in development with no Flow key, and not otherwise', () => {
    expect(loadSampleConfig(env).emulator).toBe(true);
    expect(loadSampleConfig({ ...env, NODE_ENV: 'development' }).emulator).toBe(true);
    // The module's one reading of NODE_ENV: case, whitespace and `prod` count.
    for (const nodeEnv of ['production', 'Production', ' production ', 'prod', 'PROD'])
      expect(loadSampleConfig({ ...env, NODE_ENV: nodeEnv }).emulator, nodeEnv).toBe(false);
    expect(loadSampleConfig({ ...env, SAMPLE_FLOW_EMULATOR: 'off' }).emulator).toBe(false);
    const real = {
      FLOW_API_SECRET: generateSecret(),
      FLOW_API_KEY: 'sandbox_key_00000000000000000000000000000000',
      FLOW_PUBLISHABLE_KEY: 'sandbox_publishable_key_00000000000000000000000000000000',
      FLOW_TEMPLATE_ID: 'flwtmp_real',
      FLOW_SCRIPT_URL: 'https://cdn.cognitohq.com/flow.js',
    };
    for (const [name, value] of Object.entries(real))
      expect(loadSampleConfig({ ...env, [name]: value }).emulator, name).toBe(false);
  });

  it('refuses an emulator script URL in production, and keeps it usable in development', () => {
    for (const url of [
      'http://127.0.0.1:4010/flow.js',
      'https://localhost:4010/flow.js',
      'https://[::1]:4010/flow.js',
      'http://flow.example.com/flow.js',
    ]) {
      for (const nodeEnv of ['production', ' Production ', 'prod'])
        expect(() => loadSampleConfig({ ...env, NODE_ENV: nodeEnv, FLOW_SCRIPT_URL: url })).toThrow(
          SampleConfigError,
        );
      expect(loadSampleConfig({ ...env, FLOW_SCRIPT_URL: url }).flowScriptUrl).toBe(
        new URL(url).href,
      );
    }
    expect(
      loadSampleConfig({
        ...env,
        NODE_ENV: 'production',
        FLOW_SCRIPT_URL: 'https://cdn.cognitohq.com/flow.js',
      }).flowScriptUrl,
    ).toBe('https://cdn.cognitohq.com/flow.js');
  });

  it("runs on the development secret, hands the app the emulator's keys and script, and says so", async () => {
    const config = loadSampleConfig(env);
    const { emulator, config: local } = await startSampleEmulator(config);
    try {
      expect(emulator.keys.apiSecret).toBe(config.devSecret?.value);
      expect(local.flowValues).toStrictEqual({
        apiSecret: config.devSecret?.value,
        apiKey: emulator.keys.apiKey,
        // The app's FlowApiClient calls the emulator's API, never Cognito's real host.
        apiBaseUrl: emulator.apiBaseUrl,
        publishableKey: emulator.keys.publishableKey,
        templateId: emulator.keys.templateId,
      });
      expect(local.flowApi).toBe(true);
      expect(config.flowApi).toBe(false);
      // The development secret is sandbox-shaped, and FlowModule wants one environment for all keys.
      expect(local.flowValues.publishableKey).toMatch(/^sandbox_publishable_key_/);
      expect(local.placeholders).toStrictEqual({ publishableKey: false, templateId: false });
      expect(local.flowScriptUrl).toBe(emulator.scriptUrl);
      pointWebhooksAtApp(emulator, '127.0.0.1', 3123, 'webhook_receivers/flow');
      expect(emulator.webhookUrl).toBe('http://127.0.0.1:3123/webhook_receivers/flow');
      const banner = startUpBanner(local, 'http://localhost:3123/', emulator);
      expect(banner).toContain('runs OFFLINE on the local Flow emulator');
      expect(banner).toContain(emulator.url);
      expect(banner).toContain('http://127.0.0.1:3123/webhook_receivers/flow');
      expect(banner).not.toContain('PLACEHOLDER');
      expect(banner).not.toContain(emulator.keys.apiSecret);
      // The emulator's API key is what the app accepts, so the CLI hint for a bare secret is not shown.
      expect(banner).toContain('Pass verification');
      expect(banner).not.toContain('npx cognito-flow webhook send');
    } finally {
      await emulator.close();
    }
  });
});
