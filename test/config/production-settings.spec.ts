import 'reflect-metadata';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FlowConfigurationError,
  isProductionEnvironment,
  type FlowModuleOptions,
} from '../../lib/index.js';
import { startFlowEmulator } from '../../lib/emulator/index.js';
import { generateEmulatorKeys } from '../../lib/emulator/emulator-keys.js';
import { EXAMPLE_SECRET } from '../fixtures/flow-protocol.js';
import {
  WEBHOOK_PLATFORMS,
  received,
  startWebhookApp,
  type WebhookApp,
} from '../support/flow-webhook-app.js';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';
import { withEnv } from '../support/with-env.js';

const live = generateSecret('live');
const liveKey = 'live_key_0123456789abcdef0123456789abcdef';
const PRODUCTION = ['production', ' Production ', 'prod', 'PROD\n'];
const NOT_PRODUCTION = ['development', 'test', 'preprod', 'production-eu', undefined];

describe('isProductionEnvironment, the one reading of NODE_ENV', () => {
  it.each(PRODUCTION)('reads %j as production', (value) => {
    expect(isProductionEnvironment(value)).toBe(true);
  });
  it.each(NOT_PRODUCTION)('reads %j as not production', (value) => {
    expect(isProductionEnvironment(value)).toBe(false);
  });
});

let running: WebhookApp | undefined;
afterEach(async () => {
  await running?.app.close();
  running = undefined;
  received.length = 0;
});

/** Starts the app under `nodeEnv`; resolves with the start-up error, or undefined once it listens. */
async function startUp(
  platform: (typeof WEBHOOK_PLATFORMS)[number][0],
  nodeEnv: string | undefined,
  flow: FlowModuleOptions,
): Promise<FlowConfigurationError | undefined> {
  return withEnv({ NODE_ENV: nodeEnv, FLOW_API_SECRET: undefined }, async () => {
    try {
      running = await startWebhookApp(platform, { envFallback: false, ...flow });
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(FlowConfigurationError);
      return error as FlowConfigurationError;
    }
  });
}

describe.each(WEBHOOK_PLATFORMS)('production start-up checks on %s', (platform) => {
  const refusals: Array<[string, FlowModuleOptions, RegExp]> = [
    [
      'an http: API base URL to another machine',
      { apiSecret: live, apiKey: liveKey, apiBaseUrl: 'http://api.example.com' },
      /apiBaseUrl \(FLOW_API_BASE_URL\) is a plain http: URL to another machine.*Use https:/,
    ],
    [
      "Cognito's example secret",
      { apiSecret: EXAMPLE_SECRET },
      /apiSecret is the example secret from Cognito's documentation.*Set the API secret/,
    ],
    [
      "Cognito's example secret as a previous secret",
      { apiSecret: live, previousApiSecrets: [EXAMPLE_SECRET] },
      /previousApiSecrets\[0\] is the example secret/,
    ],
    [
      "the emulator's generated keys",
      { ...generateEmulatorKeys() },
      /apiSecret is a key the Flow emulator generated.*Set the live keys/,
    ],
  ];

  it.each(refusals)(
    'refuses %s under every spelling of production',
    async (_name, flow, message) => {
      for (const nodeEnv of PRODUCTION) {
        const error = await startUp(platform, nodeEnv, flow);
        expect(error?.code, JSON.stringify(nodeEnv)).toBe('production_setting');
        expect(error?.message).toMatch(message);
        expect(error?.message).toContain('NODE_ENV names a production environment');
        for (const secret of [flow.apiSecret, ...(flow.previousApiSecrets ?? [])])
          expect(error?.message).not.toContain(String(secret).slice(12, 40));
      }
    },
  );

  it.each(refusals)('starts with %s outside production', async (_name, flow) => {
    for (const nodeEnv of ['development', undefined]) {
      expect(await startUp(platform, nodeEnv, flow), String(nodeEnv)).toBeUndefined();
      await running?.app.close();
      running = undefined;
    }
  });

  it('refuses a running emulator as the API base URL, even with sandbox keys', async () => {
    const emulator = await startFlowEmulator({ keys: { apiSecret: generateSecret() } });
    try {
      const flow = { apiSecret: emulator.keys.apiSecret, apiKey: emulator.keys.apiKey };
      for (const apiBaseUrl of [
        emulator.apiBaseUrl,
        emulator.apiBaseUrl.replace('127.0.0.1', 'localhost'),
      ]) {
        const error = await startUp(platform, 'production', { ...flow, apiBaseUrl });
        expect(error?.message, apiBaseUrl).toMatch(
          /is the Flow emulator's: its answers are made up/,
        );
      }
    } finally {
      await emulator.close();
    }
  });

  it('accepts https:, and http: on loopback, in production', async () => {
    for (const apiBaseUrl of [
      'https://proxy.example.com/flow',
      'http://127.0.0.1:4010',
      'http://[::1]:4010',
    ]) {
      expect(
        await startUp(platform, 'production', { apiSecret: live, apiKey: liveKey, apiBaseUrl }),
        apiBaseUrl,
      ).toBeUndefined();
      await running?.app.close();
      running = undefined;
    }
  });

  it('never processes a webhook forged with the example secret in production: the app does not start', async () => {
    // The forgery: a fresh delivery signed with the public secret, as anyone can make it.
    const body = flowEventBody({ environment: 'live' });
    const forged = () =>
      fetch(`${running!.baseUrl}/webhook_receivers/flow`, {
        method: 'POST',
        headers: testHeaders({ secret: EXAMPLE_SECRET, url: '/webhook_receivers/flow', body }),
        body,
      });
    // Outside production the module runs on the secret it was given: the forgery is processed.
    expect(await startUp(platform, 'development', { apiSecret: EXAMPLE_SECRET })).toBeUndefined();
    expect((await forged()).status).toBe(200);
    expect(received).toHaveLength(1);
    await running!.app.close();
    running = undefined;
    received.length = 0;
    for (const nodeEnv of PRODUCTION) {
      const error = await startUp(platform, nodeEnv, { apiSecret: EXAMPLE_SECRET });
      expect(error?.code).toBe('production_setting');
      expect(running).toBeUndefined();
    }
    expect(received).toHaveLength(0);
  });
});
