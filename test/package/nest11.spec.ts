import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../support/run-node.js';
import { SMOKE_ENV, expectSmokeResult } from './smoke-expectations.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('./nest11/', import.meta.url));
const smoke = fileURLToPath(new URL('./smoke/', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];

// A host project pinned to Nest 11, @nestjs/config 4 and @nestjs/terminus 11 (its own
// package.json and lockfile) installs the packed tarball of this package, as a user would: the ^11
// peer ranges are tested, not hoped.
describe('the packed package in a Nest 11 app', () => {
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'flow-nest11-'));
    // dist/ is the suite's build; prepack would rebuild it under the other running tests (the
    // build from a fresh clone is tarball.spec.ts's subject).
    const pack = await runCommand(
      npm,
      ['pack', '--ignore-scripts', '--pack-destination', work, ...quiet],
      {
        cwd: root,
        timeoutMs: 120_000,
      },
    );
    expect(pack.code, pack.stderr).toBe(0);
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const app = join(work, 'app');
    cpSync(fixture, app, { recursive: true });
    cpSync(smoke, app, { recursive: true });
    const install = await runCommand(npm, ['ci', ...quiet], { cwd: app, timeoutMs: 300_000 });
    expect(install.code, install.stderr).toBe(0);
    const add = await runCommand(npm, ['install', '--no-save', join(work, tarball!), ...quiet], {
      cwd: app,
      timeoutMs: 300_000,
    });
    expect(add.code, add.stderr).toBe(0);
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(['smoke.mjs', 'smoke.cjs'])(
    '%s boots on Nest 11: signs, serves the route, receives a webhook once',
    async (script) => {
      const run = await runCommand(process.execPath, [join(work, 'app', script)], {
        cwd: join(work, 'app'),
        env: SMOKE_ENV,
      });
      expect(run.code, run.stderr).toBe(0);
      expectSmokeResult(run.stdout, 11, script.endsWith('.cjs') ? 'require' : 'import');
    },
  );

  it('health-smoke.mjs answers /health on Nest 11 with @nestjs/terminus 11: the memory store is up', async () => {
    const run = await runCommand(process.execPath, [join(work, 'app', 'health-smoke.mjs')], {
      cwd: join(work, 'app'),
      env: SMOKE_ENV,
    });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim()) as {
      terminusVersion: string;
      nestVersion: string;
      status: number;
      body: unknown;
    };
    // The copies the health entry point resolved, read from their installed package.json.
    expect(result.terminusVersion).toMatch(/^11\.\d+\.\d+$/);
    expect(result.nestVersion).toMatch(/^11\.\d+\.\d+$/);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      status: 'ok',
      info: { flow_event_store: { status: 'up' } },
      error: {},
      details: { flow_event_store: { status: 'up' } },
    });
  });
});
