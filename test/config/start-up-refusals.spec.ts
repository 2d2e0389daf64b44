import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import {
  FlowConfigurationError,
  FlowModule,
  FlowSigner,
  type FlowModuleOptions,
} from '../../lib/index.js';
import { resolveFlowOptions } from '../../lib/config/resolve-flow-options.js';
import { generateEmulatorKeys } from '../../lib/emulator/emulator-keys.js';
import { generateSecret } from '../support/test-secrets.js';
import { withEnv } from '../support/with-env.js';

const live = generateSecret('live');
const sandbox = generateSecret('sandbox');
const livePublishable = 'live_publishable_key_0123456789abcdef0123456789abcdef';
const sandboxPublishable = 'sandbox_publishable_key_0123456789abcdef0123456789abcdef';
const liveApiKey = 'live_key_deadbeefcafedeadbeefcafedeadbeef';

/** Boots a module with the options and returns the start-up error. */
async function startUpError(options: FlowModuleOptions): Promise<FlowConfigurationError> {
  const attempt = Test.createTestingModule({ imports: [FlowModule.forRoot(options)] }).compile();
  const error = await attempt.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FlowConfigurationError);
  return error as FlowConfigurationError;
}

// Every secret-bearing value of a case, and a long inner piece of each: neither may appear.
function expectNoSecret(text: string, secrets: string[]): void {
  for (const secret of secrets) {
    expect(text).not.toContain(secret.trim());
    const core = secret.trim();
    if (core.length >= 24) expect(text).not.toContain(core.slice(12, 36));
  }
}

const cases: Array<[string, FlowModuleOptions, string, RegExp, string[]]> = [
  ['a missing secret', {}, 'missing_secret', /FLOW_API_SECRET/, []],
  ['an empty secret', { apiSecret: '' }, 'missing_secret', /missing or empty/, []],
  [
    'a secret with a trailing newline',
    { apiSecret: `${live}\n` },
    'padded_secret',
    /whitespace/,
    [live],
  ],
  [
    'a secret with a leading space',
    { apiSecret: ` ${live}` },
    'padded_secret',
    /whitespace/,
    [live],
  ],
  [
    'a short secret',
    { apiSecret: 'live_secret_0123456789' },
    'short_secret',
    /at least 32/,
    ['live_secret_0123456789'],
  ],
  [
    'a non-string secret',
    { apiSecret: 42 as unknown as string },
    'invalid_secret',
    /must be a string/,
    [],
  ],
  [
    'a secret with inner whitespace',
    { apiSecret: `${live.slice(0, 30)} ${live.slice(30)}` },
    'invalid_secret',
    /whitespace/,
    [live],
  ],
  [
    'a publishable key given as the secret',
    { apiSecret: livePublishable },
    'misplaced_key',
    /publishable key/,
    [],
  ],
  [
    'an API key id given as the secret',
    { apiSecret: liveApiKey },
    'misplaced_key',
    /API key id/,
    [],
  ],
  [
    'the secret given as the publishable key',
    { apiSecret: sandbox, publishableKey: live },
    'misplaced_key',
    /publishableKey holds an API secret/,
    [live, sandbox],
  ],
  [
    'the secret given as the API key',
    { apiSecret: live, apiKey: live },
    'misplaced_key',
    /apiKey holds an API secret/,
    [live],
  ],
  [
    'a secret as template id',
    { apiSecret: live, templateId: live },
    'misplaced_key',
    /templateId holds an API secret/,
    [live],
  ],
  [
    'a publishable key given as the API key',
    { apiSecret: live, apiKey: livePublishable },
    'misplaced_key',
    /apiKey holds a publishable key/,
    [live],
  ],
  [
    'a publishable key with a mistyped prefix',
    { apiSecret: live, publishableKey: 'live_publishabel_key_0123456789abcdef0123456789abcdef' },
    'invalid_option',
    /publishableKey starts like a Flow key but not with <environment>_publishable_key_/,
    [live],
  ],
  [
    'a secret with a mistyped prefix given as the publishable key',
    { apiSecret: live, publishableKey: live.replace('_secret_', '_secert_') },
    'invalid_option',
    /publishableKey starts like a Flow key/,
    [live, live.replace('_secret_', '_secert_')],
  ],
  [
    'an API key id given as the publishable key',
    { apiSecret: live, publishableKey: liveApiKey },
    'misplaced_key',
    /publishableKey holds an API key id/,
    [live],
  ],
  [
    'a live secret with a sandbox publishable key',
    { apiSecret: live, publishableKey: sandboxPublishable },
    'environment_mismatch',
    /live key but publishableKey is a sandbox key/,
    [live],
  ],
  [
    'a sandbox secret with a live publishable key',
    { apiSecret: sandbox, publishableKey: livePublishable },
    'environment_mismatch',
    /sandbox key but publishableKey is a live key/,
    [sandbox],
  ],
  [
    'a sandbox secret with a live API key',
    { apiSecret: sandbox, apiKey: liveApiKey },
    'environment_mismatch',
    /apiKey is a live key/,
    [sandbox],
  ],
  [
    'a malformed previous secret',
    { apiSecret: live, previousApiSecrets: ['short'] },
    'short_secret',
    /previousApiSecrets\[0\]/,
    [live],
  ],
  [
    'previous key ids without a current one',
    { apiSecret: live, previousApiKeys: [liveApiKey] },
    'invalid_option',
    /apiKey/,
    [live],
  ],
  [
    'a zero tolerance',
    { apiSecret: live, webhook: { toleranceSeconds: 0 } },
    'invalid_option',
    /toleranceSeconds/,
    [live],
  ],
  [
    'a relative public path',
    { apiSecret: live, webhook: { publicPath: 'hooks' } },
    'invalid_option',
    /publicPath/,
    [live],
  ],
];

describe('start-up refusals', () => {
  it.each(cases)('refuses %s', async (_name, options, code, message, secrets) => {
    await withEnv({ FLOW_API_SECRET: undefined, NODE_ENV: 'production' }, async () => {
      const error = await startUpError(options);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expectNoSecret(error.message, secrets);
      expectNoSecret(String(error.stack), secrets);
    });
  });

  it('names the environment variable when the bad secret came from it', async () => {
    await withEnv({ FLOW_API_SECRET: `${live} `, NODE_ENV: 'production' }, async () => {
      const error = await startUpError({});
      expect(error.code).toBe('padded_secret');
      expect(error.message).toContain('FLOW_API_SECRET');
      expectNoSecret(error.message, [live]);
    });
  });

  it('requires the publishable key and template id when the signature endpoint is on', async () => {
    await withEnv({ NODE_ENV: 'production' }, async () => {
      const error = await startUpError({
        apiSecret: live,
        signatureEndpoint: { guards: [{ canActivate: () => true }] },
      });
      expect(error.code).toBe('missing_public_config');
      expect(error.message).toMatch(/FLOW_PUBLISHABLE_KEY/);
    });
  });

  it('refuses a mistyped publishable key read from FLOW_PUBLISHABLE_KEY', async () => {
    const env = {
      FLOW_PUBLISHABLE_KEY: 'sandbox_publishable_0123456789abcdef',
      NODE_ENV: 'production',
    };
    await withEnv(env, async () => {
      const error = await startUpError({ apiSecret: sandbox });
      expect(error.code).toBe('invalid_option');
      expect(error.message).toContain('FLOW_PUBLISHABLE_KEY');
      expect(error.message).not.toContain('0123456789abcdef');
      expectNoSecret(error.message, [sandbox]);
    });
  });

  it.each([
    ["the sample app's placeholder", 'PLACEHOLDER_set_FLOW_PUBLISHABLE_KEY', sandbox],
    ['an emulator-generated key', generateEmulatorKeys().publishableKey, undefined],
    ['a sandbox key', sandboxPublishable, sandbox],
  ])('starts with %s as publishable key', async (_name, publishableKey, apiSecret) => {
    const secret = apiSecret ?? generateEmulatorKeys().apiSecret;
    // The prefix rule, outside production: production refuses emulator keys on its own
    // (test/config/production-settings.spec.ts).
    await withEnv({ NODE_ENV: 'development' }, async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [FlowModule.forRoot({ apiSecret: secret, publishableKey, envFallback: false })],
      }).compile();
      expect(moduleRef.get(FlowSigner)).toBeInstanceOf(FlowSigner);
    });
  });

  it('accepts a well-formed configuration (control for the cases above)', async () => {
    await withEnv({ NODE_ENV: 'production' }, async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          FlowModule.forRoot({
            apiSecret: live,
            previousApiSecrets: [generateSecret('live')],
            apiKey: liveApiKey,
            publishableKey: livePublishable,
            templateId: 'flwtmp_abc',
          }),
        ],
      }).compile();
      expect(moduleRef.get(FlowSigner)).toBeInstanceOf(FlowSigner);
    });
  });
});

describe('live secret outside production', () => {
  const warnings = (nodeEnv: string | undefined, apiSecret: string) => {
    const lines: string[] = [];
    resolveFlowOptions({ apiSecret }, {}, { warn: (line: string) => lines.push(line) }, nodeEnv);
    return lines;
  };

  it('warns when NODE_ENV is not production, without the secret', () => {
    for (const nodeEnv of [undefined, 'development', 'test']) {
      const lines = warnings(nodeEnv, live);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/live API secret/);
      expectNoSecret(lines[0], [live]);
    }
  });

  it('stays quiet in production and for sandbox secrets', () => {
    for (const nodeEnv of ['production', ' Production ', 'prod'])
      expect(warnings(nodeEnv, live), nodeEnv).toEqual([]);
    expect(warnings('development', sandbox)).toEqual([]);
  });
});
