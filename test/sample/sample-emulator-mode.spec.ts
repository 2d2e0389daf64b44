import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
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
      // The command that works in this mode: a trigger against this emulator, on the dev secret.
      expect(banner).toContain('npx cognito-flow trigger flow_session.status.updated');
      expect(banner).toContain(`--url ${emulator.apiBaseUrl}`);
      expect(banner).toContain('--customer-reference 6f1c2b7e-3d5a-4e8f-9b0c-1a2d3e4f5a6b');
      expect(banner).toContain('--secret-file ');
      expect(local.emulatorUrl).toBe(emulator.apiBaseUrl);
    } finally {
      await emulator.close();
    }
  });

  it('pins the emulator to SAMPLE_EMULATOR_PORT', async () => {
    const port = await freePort();
    const config = loadSampleConfig({ ...env, SAMPLE_EMULATOR_PORT: String(port) });
    expect(config.emulatorPort).toBe(port);
    const { emulator } = await startSampleEmulator(config);
    try {
      expect(emulator.apiBaseUrl).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await emulator.close();
    }
    // Unset: a free port chosen by the system.
    expect(loadSampleConfig(env).emulatorPort).toBe(0);
  });

  it('refuses a SAMPLE_EMULATOR_PORT that is not a whole number from 1 to 65535', () => {
    for (const value of ['0', '65536', 'abc', '1.5', '-1', '4010x', '1e3']) {
      expect(() => loadSampleConfig({ ...env, SAMPLE_EMULATOR_PORT: value }), value).toThrow(
        /SAMPLE_EMULATOR_PORT must be a whole number from 1 to 65535/,
      );
    }
  });

  it('says which setting to change when SAMPLE_EMULATOR_PORT is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const config = loadSampleConfig({ ...env, SAMPLE_EMULATOR_PORT: String(port) });
      const error = await startSampleEmulator(config).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SampleConfigError);
      expect((error as Error).message).toContain(`SAMPLE_EMULATOR_PORT ${port} (EADDRINUSE)`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

/** A port free a moment ago: the system picks it, the test releases it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
