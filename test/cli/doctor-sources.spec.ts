import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../support/test-secrets.js';
import { runBuiltCli, type CliRun } from './run-built-cli.js';

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function workingFolder(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'cognito-flow-doctor-'));
  folders.push(folder);
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(folder, name), content, { mode: 0o600 });
  return folder;
}

/** The doctor's source lines, `NAME: source`, by variable name. */
function sources(run: CliRun): Map<string, string> {
  const lines = run.stdout
    .split('\n')
    .filter((line) => /^ {2}(FLOW_|NODE_ENV|env file)/.test(line));
  return new Map(
    lines.map((line) => [line.slice(2, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
  );
}

function expectNoValue(run: CliRun, ...values: string[]): void {
  for (const value of values) {
    expect(run.stdout).not.toContain(value.slice(-20));
    expect(run.stderr).not.toContain(value.slice(-20));
  }
}

const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
const fileApiKey = 'sandbox_key_fedcba9876543210fedcba9876543210';

describe('cognito-flow doctor: where each setting comes from', () => {
  it('names the environment, the .env file, a default or unset for each variable, never a value', async () => {
    const secret = generateSecret();
    const folder = workingFolder({
      '.env':
        `FLOW_API_SECRET=${secret}\nFLOW_API_KEY=${fileApiKey}\n` +
        'FLOW_TEMPLATE_ID=flwtmp_FROMFILE0000001\nNODE_ENV=development\n',
    });
    const run = await runBuiltCli(['doctor'], {
      cwd: folder,
      env: { FLOW_API_KEY: apiKey, FLOW_PUBLISHABLE_KEY: '' },
    });
    const envFile = join(folder, '.env');
    expect(Object.fromEntries(sources(run))).toStrictEqual({
      'env file': `${envFile} (3 variable(s) used, the environment wins)`,
      FLOW_API_SECRET: `.env file ${envFile}`,
      FLOW_PREVIOUS_API_SECRETS: 'default (none)',
      FLOW_API_KEY: 'environment',
      FLOW_PREVIOUS_API_KEYS: 'default (none)',
      FLOW_PUBLISHABLE_KEY: 'environment (empty, so unset)',
      FLOW_TEMPLATE_ID: `.env file ${envFile}`,
      FLOW_API_BASE_URL: "default (Cognito's live or sandbox host, from FLOW_API_KEY's prefix)",
      NODE_ENV: `.env file ${envFile}`,
    });
    // The secret came from the file, and the checks ran on it.
    expect(run.stdout).toMatch(/PASS {2}secret present: FLOW_API_SECRET is set/);
    expectNoValue(run, secret, apiKey, fileApiKey, 'FROMFILE0000001');
  });

  it('names the --secret-file flag, the ignored variable, and a skipped or absent .env', async () => {
    const secret = generateSecret();
    const folder = workingFolder({ 'flow-secret': `${secret}\n` });
    const secretFile = join(folder, 'flow-secret');
    const run = await runBuiltCli(['doctor', '--secret-file', secretFile], {
      cwd: folder,
      env: { FLOW_API_SECRET: generateSecret(), NODE_ENV: 'development' },
    });
    const found = sources(run);
    expect(found.get('env file')).toBe(`none (no ${join(folder, '.env')}; that is fine)`);
    expect(found.get('FLOW_API_SECRET')).toBe(
      `flag --secret-file ${secretFile}; the value from environment is ignored`,
    );
    expect(found.get('NODE_ENV')).toBe('environment');
    expect(found.get('FLOW_API_KEY')).toBe('unset');
    expectNoValue(run, secret);

    const skipped = await runBuiltCli(['doctor', '--no-env-file'], {
      cwd: workingFolder({ '.env': `FLOW_API_SECRET=${secret}\n` }),
      env: {},
    });
    expect(sources(skipped).get('env file')).toBe('no file read (--no-env-file)');
    expect(sources(skipped).get('FLOW_API_SECRET')).toBe('unset');
    // The missing secret's fix names .env and --env-file.
    expect(skipped.stdout).toMatch(/FAIL {2}secret present: .*\.env .*--env-file <path>/);
    expect(skipped.code).toBe(1);
    expectNoValue(skipped, secret);
  });
});

describe('a secret or key wrapped in literal quotes, as Docker --env-file passes it', () => {
  for (const quote of ['"', "'"]) {
    it(`is refused by sign and doctor, naming the quotes (${quote}…${quote}), never the value`, async () => {
      const secret = generateSecret();
      const quoted = `${quote}${secret}${quote}`;
      const sign = await runBuiltCli(['sign', 'user-1'], { env: { FLOW_API_SECRET: quoted } });
      expect(sign.code).toBe(1);
      expect(sign.stdout).toBe('');
      expect(sign.stderr).toContain(
        `FLOW_API_SECRET is wrapped in literal quotes (${quote}…${quote})`,
      );
      expect(sign.stderr).toContain('remove them');
      expectNoValue(sign, secret);

      const doctor = await runBuiltCli(['doctor'], {
        env: { FLOW_API_SECRET: quoted, NODE_ENV: 'development' },
      });
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toMatch(/FAIL {2}secret well-formed: FLOW_API_SECRET is wrapped in/);
      expectNoValue(doctor, secret);
    });
  }

  it('refuses a quoted secret file and a quoted API key the same way', async () => {
    const secret = generateSecret();
    const folder = workingFolder({ 'quoted-secret': `"${secret}"\n` });
    const fromFile = await runBuiltCli(
      ['sign', 'user-1', '--secret-file', join(folder, 'quoted-secret')],
      { env: {} },
    );
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toContain('is wrapped in literal quotes ("…")');
    expectNoValue(fromFile, secret);

    const key = await runBuiltCli(['sign', 'user-1'], {
      env: { FLOW_API_SECRET: secret, FLOW_API_KEY: `'${apiKey}'` },
    });
    expect(key.code).toBe(1);
    expect(key.stderr).toContain("apiKey is wrapped in literal quotes ('…')");
    expectNoValue(key, secret);
  });

  it('is not mistaken in .env, whose parser strips one pair of quotes', async () => {
    const secret = generateSecret();
    // Quoted once in .env: the value is the bare secret. Quoted twice: the inner quotes remain.
    const once = await runBuiltCli(['doctor'], {
      cwd: workingFolder({ '.env': `FLOW_API_SECRET="${secret}"\nNODE_ENV=development\n` }),
      env: {},
    });
    expect(once.stdout).toMatch(/PASS {2}secret well-formed/);
    const twice = await runBuiltCli(['doctor'], {
      cwd: workingFolder({ '.env': `FLOW_API_SECRET='"${secret}"'\nNODE_ENV=development\n` }),
      env: {},
    });
    expect(twice.stdout).toMatch(/FAIL {2}secret well-formed: FLOW_API_SECRET is wrapped in/);
    expectNoValue(once, secret);
    expectNoValue(twice, secret);
  });
});
