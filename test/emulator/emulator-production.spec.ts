import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFlowEmulator, type FlowEmulator } from '../../lib/emulator/index.js';
import { generateSecret } from '../support/test-secrets.js';

let emulator: FlowEmulator | undefined;

afterEach(async () => {
  vi.unstubAllEnvs();
  await emulator?.close();
  emulator = undefined;
});

describe('the emulator under production', () => {
  it.each(['production', ' Production ', 'PROD', 'prod\n'])(
    'refuses to start while NODE_ENV is %j, saying how to fix it',
    async (nodeEnv) => {
      vi.stubEnv('NODE_ENV', nodeEnv);
      const start = startFlowEmulator();
      await expect(start).rejects.toMatchObject({ name: 'FlowEmulatorError', code: 'production' });
      await expect(start).rejects.toThrow(/NODE_ENV names a production environment/);
      await expect(start).rejects.toThrow(/allowProduction: true \(--allow-production\)/);
    },
  );

  it.each([
    ['apiSecret', generateSecret('live')],
    ['apiKey', 'live_key_0123456789abcdef0123456789abcdef'],
    ['publishableKey', 'live_publishable_key_0123456789abcdef0123456789abcdef'],
  ])('refuses a live keys.%s, never echoing it', async (field, value) => {
    vi.stubEnv('NODE_ENV', 'development');
    const start = startFlowEmulator({ keys: { [field]: value } });
    await expect(start).rejects.toMatchObject({ code: 'production' });
    const error = (await start.catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`keys.${field} is a live key`);
    expect(error.message).not.toContain(value);
    expect(error.message.includes(value.slice(12))).toBe(false);
  });

  it.each(['development', 'test', 'production-like', undefined])(
    'starts while NODE_ENV is %j',
    async (nodeEnv) => {
      vi.stubEnv('NODE_ENV', nodeEnv);
      emulator = await startFlowEmulator();
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    },
  );

  it('starts under production and with a live secret when allowProduction says so', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    emulator = await startFlowEmulator({
      allowProduction: true,
      keys: { apiSecret: generateSecret('live') },
    });
    expect(emulator.keys.apiKey).toMatch(/^live_key_/);
  });
});
