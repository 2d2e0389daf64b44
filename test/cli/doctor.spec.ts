import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_SECRET } from '../fixtures/flow-protocol.js';
import { generateSecret } from '../support/test-secrets.js';
import { runBuiltCli, type CliRun } from './run-built-cli.js';
import { secretFolder } from './secret-files.js';

const files = secretFolder();
afterAll(() => files.cleanup());

const hex = () => randomBytes(16).toString('hex');

/** A complete, consistent configuration of one environment. */
function configuration(
  environment: 'sandbox' | 'live',
  secret = generateSecret(environment),
): Record<string, string> {
  return {
    FLOW_API_SECRET: secret,
    FLOW_API_KEY: `${environment}_key_${hex()}`,
    FLOW_PUBLISHABLE_KEY: `${environment}_publishable_key_${hex()}`,
    FLOW_TEMPLATE_ID: 'flwtmp_TESTTEMPLATE0001',
  };
}

/** The doctor's check lines, by check name. */
function checkLines(run: CliRun): Map<string, string> {
  const lines = run.stdout.split('\n').filter((line) => /^(PASS|WARN|FAIL) {2}/.test(line));
  return new Map(lines.map((line) => [line.slice(6, line.indexOf(':')), line.slice(0, 4)]));
}

function expectNoSecret(run: CliRun, ...secrets: string[]): void {
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    // Not even a fragment of the random part.
    expect(run.stdout).not.toContain(secret.slice(-16));
  }
}

describe('cognito-flow doctor', () => {
  it.each(['production', ' Production ', 'prod'])(
    "reports the module's production refusals under NODE_ENV=%j",
    async (nodeEnv) => {
      const refusals: Array<[Record<string, string>, RegExp]> = [
        [{ FLOW_API_SECRET: EXAMPLE_SECRET }, /example secret from Cognito's documentation/],
        [
          { ...configuration('live'), FLOW_API_BASE_URL: 'http://api.example.com' },
          /plain http: URL to another machine/,
        ],
        [
          {
            FLOW_API_SECRET: `emulator_secret_${hex()}${hex()}`,
            FLOW_API_KEY: `emulator_key_${hex()}`,
          },
          /a key the Flow emulator generated/,
        ],
      ];
      for (const [config, message] of refusals) {
        const run = await runBuiltCli(['doctor'], { env: { ...config, NODE_ENV: nodeEnv } });
        expect(run.code).toBe(1);
        const line = run.stdout
          .split('\n')
          .find((text) => text.startsWith('FAIL  module accepts configuration'));
        expect(line, JSON.stringify(config)).toMatch(message);
        expectNoSecret(run, config.FLOW_API_SECRET);
      }
      const live = await runBuiltCli(['doctor'], {
        env: { ...configuration('live'), NODE_ENV: nodeEnv },
      });
      expect(checkLines(live).get('live key outside production')).toBe('PASS');
    },
  );

  it('passes every check on a good sandbox configuration in development', async () => {
    const env: Record<string, string> = { ...configuration('sandbox'), NODE_ENV: 'development' };
    const run = await runBuiltCli(['doctor'], { env });
    expect(run.code).toBe(0);
    const checks = checkLines(run);
    for (const name of [
      'secret present',
      'secret well-formed',
      'live key outside production',
      'key environments consistent',
      'API key present',
      'publishable key present',
      'template id present',
      'module accepts configuration',
      'signing known answer',
      'webhook known answer',
    ]) {
      expect(checks.get(name), name).toBe('PASS');
    }
    expect([...checks.values()].every((status) => status === 'PASS')).toBe(true);
    expect(run.stdout).toMatch(/sandbox_secret_…\(79 chars\)/);
    expect(run.stdout).toMatch(/10 passed, 0 warning\(s\), 0 failed/);
    expectNoSecret(run, env.FLOW_API_SECRET);
  });

  it('passes with the secret in a private --secret-file, and warns when the file is readable by others', async () => {
    const { FLOW_API_SECRET: secret, ...rest } = configuration('sandbox');
    const privateFile = files.write('private', `${secret}\n`, 0o600);
    const ok = await runBuiltCli(['doctor', '--secret-file', privateFile], { env: rest });
    expect(ok.code).toBe(0);
    expect(checkLines(ok).get('secret file private')).toBe('PASS');
    expectNoSecret(ok, secret);

    const shared = files.write('shared', `${secret}\n`, 0o644);
    const warned = await runBuiltCli(['doctor', '--secret-file', shared], { env: rest });
    expect(warned.code).toBe(0);
    expect(checkLines(warned).get('secret file private')).toBe('WARN');
    expect(warned.stdout).toContain(`chmod 600 ${shared}`);
    expectNoSecret(warned, secret);
  });

  it('warns, without failing, on a live configuration outside production; passes it in production', async () => {
    const live = configuration('live');
    const outside = await runBuiltCli(['doctor'], { env: live });
    expect(outside.code).toBe(0);
    const warned = outside.stdout
      .split('\n')
      .find((line) => line.startsWith('WARN  live key outside production'));
    expect(warned).toMatch(/NODE_ENV is unset.*Fix: use sandbox keys outside production/);
    expectNoSecret(outside, live.FLOW_API_SECRET);

    const inProduction = await runBuiltCli(['doctor'], {
      env: { ...live, NODE_ENV: 'production' },
    });
    expect(inProduction.code).toBe(0);
    expect(checkLines(inProduction).get('live key outside production')).toBe('PASS');
  });

  it('warns on missing publishable key, template id and API key, without failing', async () => {
    const secret = generateSecret();
    const run = await runBuiltCli(['doctor'], { env: { FLOW_API_SECRET: secret } });
    expect(run.code).toBe(0);
    const checks = checkLines(run);
    expect(checks.get('API key present')).toBe('WARN');
    expect(checks.get('publishable key present')).toBe('WARN');
    expect(checks.get('template id present')).toBe('WARN');
    expect(run.stdout).toMatch(/Fix: set FLOW_PUBLISHABLE_KEY/);
    expectNoSecret(run, secret);
  });

  const sandboxSecret = generateSecret();
  it.each([
    ['no secret', { FLOW_API_SECRET: '' }, 'secret present'],
    ['a short secret', { FLOW_API_SECRET: 'sandbox_secret_tooshort' }, 'secret well-formed'],
    [
      'a secret with a trailing newline',
      { FLOW_API_SECRET: `${sandboxSecret}\n` },
      'secret well-formed',
    ],
    [
      'a publishable key in the secret',
      { FLOW_API_SECRET: `sandbox_publishable_key_${hex()}` },
      'secret well-formed',
    ],
    [
      "Cognito's public example secret",
      { FLOW_API_SECRET: EXAMPLE_SECRET, NODE_ENV: 'production' },
      'secret not public',
    ],
    [
      'a live API key with a sandbox secret',
      { FLOW_API_KEY: `live_key_${hex()}` },
      'key environments consistent',
    ],
    [
      'a live publishable key with a sandbox secret',
      { FLOW_PUBLISHABLE_KEY: `live_publishable_key_${hex()}` },
      'key environments consistent',
    ],
    [
      'the secret in the publishable key',
      { FLOW_PUBLISHABLE_KEY: sandboxSecret },
      'publishable key present',
    ],
    [
      'a bad previous secret',
      { FLOW_PREVIOUS_API_SECRETS: 'sandbox_secret_short' },
      'previous secret well-formed',
    ],
  ] as Array<[string, Record<string, string>, string]>)(
    'fails (exit 1) on %s and never prints a secret',
    async (_, override, failing) => {
      const env = { ...configuration('sandbox', sandboxSecret), ...override };
      const run = await runBuiltCli(['doctor'], { env });
      expect(run.code).toBe(1);
      expect(checkLines(run).get(failing)).toBe('FAIL');
      expect(run.stdout).toMatch(/[1-9]\d* failed\./);
      expectNoSecret(run, sandboxSecret);
      if (override.FLOW_API_SECRET && override.FLOW_API_SECRET.length > 20)
        expectNoSecret(run, override.FLOW_API_SECRET.trim());
    },
  );

  it('fails the module check on whatever FlowModule would refuse', async () => {
    const env = {
      ...configuration('sandbox'),
      FLOW_PREVIOUS_API_KEYS: `sandbox_key_${hex()}`,
      FLOW_API_KEY: '',
    };
    const run = await runBuiltCli(['doctor'], { env });
    expect(run.code).toBe(1);
    expect(checkLines(run).get('module accepts configuration')).toBe('FAIL');
    expect(run.stdout).toMatch(/previousApiKeys is set without apiKey/);
  });

  it('prints its help, and exits 2 on bad arguments', async () => {
    const help = await runBuiltCli(['doctor', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cognito-flow doctor/);
    for (const args of [
      ['doctor', 'extra'],
      ['doctor', '--bogus'],
      ['doctor', '--secret', 'x'],
    ]) {
      const run = await runBuiltCli(args, { env: configuration('sandbox') });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
    }
  });
});
