import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EXAMPLE_CUSTOMER_REFERENCE,
  EXAMPLE_SECRET,
  EXAMPLE_SIGNATURE,
  EXAMPLE_WEBHOOK,
} from '../fixtures/flow-protocol.js';
import { generateSecret } from '../support/test-secrets.js';
import { runBuiltCli, type CliRun } from './run-built-cli.js';
import { secretFolder } from './secret-files.js';

const files = secretFolder();
afterAll(() => files.cleanup());

function expectNoSecret(run: CliRun, secret: string): void {
  expect(run.stdout).not.toContain(secret);
  expect(run.stderr).not.toContain(secret);
}

describe('cognito-flow sign', () => {
  it('prints the known answer with the secret from FLOW_API_SECRET', async () => {
    // Outside production: production refuses this public secret, as FlowModule does.
    const run = await runBuiltCli(['sign', EXAMPLE_CUSTOMER_REFERENCE], {
      env: { FLOW_API_SECRET: EXAMPLE_SECRET, NODE_ENV: 'test' },
    });
    expect(run).toMatchObject({ code: 0, stdout: `${EXAMPLE_SIGNATURE}\n` });
    expectNoSecret(run, EXAMPLE_SECRET);
  });

  it.each(['production', ' Production ', 'prod'])(
    "refuses Cognito's example secret under NODE_ENV=%j, as FlowModule does",
    async (nodeEnv) => {
      const run = await runBuiltCli(['sign', EXAMPLE_CUSTOMER_REFERENCE], {
        env: { FLOW_API_SECRET: EXAMPLE_SECRET, NODE_ENV: nodeEnv },
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain("is the example secret from Cognito's documentation");
      expectNoSecret(run, EXAMPLE_SECRET);
    },
  );

  it('prints the known answer with the secret from --secret-file, one trailing newline removed', async () => {
    const path = files.write('example-secret', `${EXAMPLE_SECRET}\n`);
    // The file is an explicit choice: it wins over a different secret in the environment.
    const run = await runBuiltCli(['sign', EXAMPLE_CUSTOMER_REFERENCE, '--secret-file', path], {
      env: { FLOW_API_SECRET: generateSecret('live'), NODE_ENV: 'development' },
    });
    expect(run).toMatchObject({ code: 0, stdout: `${EXAMPLE_SIGNATURE}\n` });
    expectNoSecret(run, EXAMPLE_SECRET);
  });

  it('signs with a file that has no trailing newline, and refuses one with two', async () => {
    const secret = generateSecret();
    const expected = createHmac('sha256', secret).update('user-42', 'utf8').digest('base64');
    const bare = await runBuiltCli([
      'sign',
      'user-42',
      '--secret-file',
      files.write('bare', secret),
    ]);
    expect(bare).toMatchObject({ code: 0, stdout: `${expected}\n` });

    const padded = await runBuiltCli([
      'sign',
      'user-42',
      '--secret-file',
      files.write('padded', `${secret}\n\n`),
    ]);
    expect(padded.code).toBe(1);
    expect(padded.stdout).toBe('');
    expect(padded.stderr).toMatch(/whitespace/);
    expectNoSecret(padded, secret);
  });

  it('equals HMAC-SHA256 computed with node:crypto for a fresh sandbox secret', async () => {
    const secret = generateSecret();
    const reference = 'Zoë-ünïcødé-42';
    const run = await runBuiltCli(['sign', reference], { env: { FLOW_API_SECRET: secret } });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `${createHmac('sha256', secret).update(reference, 'utf8').digest('base64')}\n`,
    );
    expectNoSecret(run, secret);
  });

  it('warns on standard error, not in the output, when a live secret runs outside production', async () => {
    const secret = generateSecret('live');
    const run = await runBuiltCli(['sign', 'user-1'], {
      env: { FLOW_API_SECRET: secret, NODE_ENV: 'development' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${createHmac('sha256', secret).update('user-1').digest('base64')}\n`);
    expect(run.stderr).toMatch(/warning: A live API secret .*NODE_ENV is 'development'/);
    expectNoSecret(run, secret);
  });

  it.each([
    ['a newline', 'user\nforged'],
    ['a whole webhook signing string', EXAMPLE_WEBHOOK.signingString],
    ['a carriage return', 'user\r'],
    ['a tab', 'us\ter'],
  ])('refuses a reference containing %s (exit 2, nothing printed)', async (_, reference) => {
    const secret = generateSecret();
    const run = await runBuiltCli(['sign', reference], { env: { FLOW_API_SECRET: secret } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/control characters/);
    expectNoSecret(run, secret);
  });

  it.each([
    [['--secret', 'VALUE-TYPED-ON-THE-COMMAND-LINE']],
    [['--secret=VALUE-TYPED-ON-THE-COMMAND-LINE']],
    [['--api-secret', 'VALUE-TYPED-ON-THE-COMMAND-LINE']],
  ])('refuses a secret option %j, explains why and does not echo its value', async (flag) => {
    const run = await runBuiltCli(['sign', 'user-1', ...flag], {
      env: { FLOW_API_SECRET: generateSecret() },
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/There is no --(api-)?secret option/);
    expect(run.stderr).toMatch(/shell history/);
    expect(run.stderr).toMatch(/FLOW_API_SECRET/);
    expect(run.stderr).toMatch(/--secret-file/);
    expect(run.stderr).not.toContain('VALUE-TYPED-ON-THE-COMMAND-LINE');
  });

  it('refuses an argument shaped like a secret without signing or echoing it', async () => {
    const pasted = generateSecret();
    const run = await runBuiltCli(['sign', pasted], { env: { FLOW_API_SECRET: generateSecret() } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/looks like an API secret/);
    expectNoSecret(run, pasted);
  });

  it('fails with a clear error when no secret is configured', async () => {
    const run = await runBuiltCli(['sign', 'user-1'], { env: { FLOW_API_SECRET: '' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/No API secret/);
    expect(run.stderr).toMatch(/FLOW_API_SECRET/);
    expect(run.stderr).toMatch(/--secret-file/);
  });

  it('fails with a clear error for an unreadable secret file', async () => {
    const run = await runBuiltCli(['sign', 'user-1', '--secret-file', '/nonexistent/flow-secret']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot read --secret-file \/nonexistent\/flow-secret \(ENOENT\)/);
  });

  it('refuses a secret the module refuses, never printing it', async () => {
    const secret = generateSecret();
    for (const bad of [`${secret} `, secret.slice(0, 20), `sandbox_key_${'a'.repeat(40)}`]) {
      const run = await runBuiltCli(['sign', 'user-1'], { env: { FLOW_API_SECRET: bad } });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/FLOW_API_SECRET/);
      expectNoSecret(run, bad.trim());
    }
  });

  it('prints its help, and exits 2 on bad arguments', async () => {
    const help = await runBuiltCli(['sign', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cognito-flow sign <customerReference>/);
    expect(help.stdout).toMatch(/--secret-file <path>/);

    const env = { FLOW_API_SECRET: generateSecret() };
    for (const args of [
      ['sign'],
      ['sign', 'a', 'b'],
      ['sign', 'a', '--bogus'],
      ['sign', 'a', '--secret-file'],
    ]) {
      const run = await runBuiltCli(args, { env });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/cognito-flow sign --help/);
    }
  });
});

describe('cognito-flow', () => {
  it('prints the tool help with every command, and exits 2 without a command or with an unknown one', async () => {
    const help = await runBuiltCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['sign <customerReference>', 'doctor', 'webhook send <url>'])
      expect(help.stdout).toContain(command);

    expect((await runBuiltCli([])).code).toBe(2);
    const unknown = await runBuiltCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command/);
  });

  it('is built as an executable script: the bin entry keeps its #! line', async () => {
    const { readFileSync } = await import('node:fs');
    const entry = readFileSync(new URL('../../dist/cli/main.js', import.meta.url), 'utf8');
    expect(entry.split('\n')[0]).toBe('#!/usr/bin/env node');
    const { bin } = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { bin: Record<string, string> };
    // Written as npm publishes it: npm drops a `./`-prefixed bin from the published manifest.
    expect(bin).toEqual({ 'cognito-flow': 'dist/cli/main.js' });
  });

  it('prints the package version', async () => {
    const { readFileSync } = await import('node:fs');
    const { version } = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    const run = await runBuiltCli(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
  });
});
