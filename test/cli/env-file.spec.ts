import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/run-cli.js';
import {
  EXAMPLE_CUSTOMER_REFERENCE,
  EXAMPLE_SECRET,
  EXAMPLE_SIGNATURE,
} from '../fixtures/flow-protocol.js';
import { generateSecret } from '../support/test-secrets.js';
import { runBuiltCli, type CliRun } from './run-built-cli.js';

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A fresh working folder holding the given files (`.env` and others). */
function workingFolder(files: Record<string, string> = {}): string {
  const folder = mkdtempSync(join(tmpdir(), 'cognito-flow-env-'));
  folders.push(folder);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(folder, name, '..'), { recursive: true });
    writeFileSync(join(folder, name), content, { mode: 0o600 });
  }
  return folder;
}

const sign = (cwd: string, env: Record<string, string> = {}, extra: string[] = []) =>
  runBuiltCli(['sign', EXAMPLE_CUSTOMER_REFERENCE, ...extra], { cwd, env });

/** Runs the tool in this process, as an embedding program would, and collects its lines. */
async function embedded(args: string[], cwd: string | undefined, env: Record<string, string> = {}) {
  const lines: string[] = [];
  const code = await runCli(args, {
    env,
    cwd,
    out: (line) => lines.push(`out ${line}`),
    err: (line) => lines.push(`err ${line}`),
  });
  return { code, lines };
}

function expectNoSecret(run: CliRun, ...secrets: string[]): void {
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret.slice(-24));
    expect(run.stderr).not.toContain(secret.slice(-24));
  }
}

// The example secret is live, and refused under production: these runs are in development.
const exampleEnvFile = `# the documented example\nFLOW_API_SECRET=${EXAMPLE_SECRET}\nNODE_ENV=development\n`;

describe('cognito-flow reads .env like the app', () => {
  it('signs with the secret of .env in the working folder', async () => {
    const run = await sign(workingFolder({ '.env': exampleEnvFile }));
    expect(run).toMatchObject({ code: 0, stdout: `${EXAMPLE_SIGNATURE}\n` });
  });

  it("parses .env as Node does: quotes stripped, comments and 'export' ignored", async () => {
    const file = `export FLOW_API_SECRET="${EXAMPLE_SECRET}" # quoted in the file\nNODE_ENV='development'\n`;
    const run = await sign(workingFolder({ '.env': file }));
    expect(run).toMatchObject({ code: 0, stdout: `${EXAMPLE_SIGNATURE}\n` });
  });

  it('lets a real environment variable win over .env', async () => {
    const fileSecret = generateSecret('live');
    const folder = workingFolder({
      '.env': `FLOW_API_SECRET=${fileSecret}\nNODE_ENV=development\n`,
    });
    const run = await sign(folder, { FLOW_API_SECRET: EXAMPLE_SECRET });
    expect(run).toMatchObject({ code: 0, stdout: `${EXAMPLE_SIGNATURE}\n` });
    // And the other way round: the file's value is used only where the environment is silent.
    const reverse = workingFolder({ '.env': exampleEnvFile });
    const other = await sign(reverse, { FLOW_API_SECRET: fileSecret, NODE_ENV: 'development' });
    expect(other.code).toBe(0);
    expect(other.stdout).not.toBe(`${EXAMPLE_SIGNATURE}\n`);
  });

  it('reads the file --env-file names instead of .env, relative to the working folder', async () => {
    const folder = workingFolder({
      '.env': `FLOW_API_SECRET=${generateSecret('live')}\nNODE_ENV=development\n`,
      'config/flow.env': exampleEnvFile,
    });
    const spaced = await sign(folder, {}, ['--env-file', 'config/flow.env']);
    expect(spaced).toMatchObject({ code: 0, stdout: `${EXAMPLE_SIGNATURE}\n` });
    const joined = await sign(folder, {}, ['--env-file=config/flow.env']);
    expect(joined).toMatchObject({ code: 0, stdout: `${EXAMPLE_SIGNATURE}\n` });
  });

  it('reads no file with --no-env-file, and the missing secret names .env and --env-file', async () => {
    const run = await sign(workingFolder({ '.env': exampleEnvFile }), {}, ['--no-env-file']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('No API secret');
    expect(run.stderr).toContain('.env');
    expect(run.stderr).toContain('--env-file <path>');
    expectNoSecret(run, EXAMPLE_SECRET);
  });

  it('skips a missing default .env silently', async () => {
    const run = await sign(workingFolder(), {
      FLOW_API_SECRET: EXAMPLE_SECRET,
      NODE_ENV: 'development',
    });
    expect(run).toMatchObject({ code: 0, stdout: `${EXAMPLE_SIGNATURE}\n` });
  });

  it('refuses a missing --env-file path, signing nothing', async () => {
    const env = { FLOW_API_SECRET: EXAMPLE_SECRET, NODE_ENV: 'development' };
    const run = await sign(workingFolder(), env, ['--env-file', 'absent.env']);
    // Node 20 itself scans script arguments for --env-file and exits 9 on a missing file
    // (nodejs/node#54232); later Node versions leave it to the tool, which exits 1.
    expect([1, 9]).toContain(run.code);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('absent.env');
  });

  it('explains a missing --env-file itself, with exit status 1 (embedded run)', async () => {
    const folder = workingFolder();
    const env = { FLOW_API_SECRET: EXAMPLE_SECRET, NODE_ENV: 'development' };
    const run = await embedded(['sign', 'x', '--env-file', 'absent.env'], folder, env);
    expect(run).toStrictEqual({
      code: 1,
      lines: [
        `err cognito-flow: Cannot read --env-file ${join(folder, 'absent.env')} (ENOENT). ` +
          'Check the path and its permissions, or pass --no-env-file.',
      ],
    });
  });

  // Embedded runs: Node 20 would refuse these arguments itself before the tool starts.
  it('refuses --env-file with --no-env-file, and --env-file without a path (exit 2)', async () => {
    const folder = workingFolder({ '.env': exampleEnvFile });
    const both = await embedded(['sign', 'x', '--env-file=.env', '--no-env-file'], folder);
    expect(both.code).toBe(2);
    expect(both.lines.join('\n')).toContain('not both');
    const empty = await embedded(['sign', 'x', '--env-file='], folder);
    expect(empty.code).toBe(2);
    expect(empty.lines.join('\n')).toContain('--env-file needs a path');
  });

  it('refuses a folder given as --env-file', async () => {
    const folder = workingFolder({ 'sub/.keep': '' });
    const run = await embedded(['sign', 'x', '--env-file', 'sub'], folder);
    expect(run.code).toBe(1);
    expect(run.lines.join('\n')).toContain(
      `The env file ${join(folder, 'sub')} is not a regular file.`,
    );
  });

  it("uses the file's values without changing the process's environment", async () => {
    const folder = workingFolder({ 'flow.env': exampleEnvFile });
    const before = { ...process.env };
    const run = await embedded(
      ['sign', EXAMPLE_CUSTOMER_REFERENCE, '--env-file', 'flow.env'],
      folder,
    );
    expect(run.code).toBe(0);
    expect(run.lines.filter((line) => line.startsWith('out '))).toStrictEqual([
      `out ${EXAMPLE_SIGNATURE}`,
    ]);
    expect({ ...process.env }).toStrictEqual(before);
  });

  it('does not read .env in an embedded run without a working folder', async () => {
    // The process's own folder holds a .env: an embedded run (tests, tools) must not pick it up.
    const previous = process.cwd();
    process.chdir(workingFolder({ '.env': exampleEnvFile }));
    try {
      const run = await embedded(['sign', EXAMPLE_CUSTOMER_REFERENCE], undefined);
      expect(run.code).toBe(1);
      expect(run.lines.join('\n')).toContain('No API secret');
    } finally {
      process.chdir(previous);
    }
  });
});
