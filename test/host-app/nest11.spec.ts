import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../support/run-node.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('./nest11/', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * The files the Nest 11 run holds: the host-app suite, the host-shaped signature tests, and the
 * tests of what reads Nest through its discovery API.
 */
const NEST11_FILES = [
  'test/events/scoped-handler-module.spec.ts',
  'test/host-app/host-app-config.spec.ts',
  'test/host-app/host-app.spec.ts',
  'test/host-app/nest11/nest-version.check.ts',
  'test/host-app/request-scoped-dead-letter.spec.ts',
  'test/host-app/versioning.spec.ts',
  'test/routing/route-scan.spec.ts',
  'test/signature-endpoint/global-guards.spec.ts',
  'test/signature-endpoint/hosted-session-host-app.spec.ts',
  'test/signature-endpoint/signature-cache.spec.ts',
  'test/webhook/flow-webhook-guard-setups.spec.ts',
  'test/webhook/public-path-binding.spec.ts',
];

/** What the Nest 11 run reports (Vitest's JSON reporter). */
interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: Array<{
    name: string;
    status: string;
    assertionResults: Array<{ fullName: string; status: string }>;
  }>;
}

/**
 * Nest 11 and its companions, installed from the committed lockfile once per lockfile content
 * into node_modules/.cache (a fresh clone installs it on its first run, about 15 s).
 */
async function nest11Modules(): Promise<string> {
  const lock = readFileSync(join(fixture, 'package-lock.json'));
  const digest = createHash('sha256').update(lock).digest('hex').slice(0, 16);
  const cache = join(root, 'node_modules/.cache/nestjs-cognito-flow');
  const target = join(cache, `host-app-nest11-${digest}`);
  if (existsSync(join(target, 'node_modules/@nestjs/core/package.json')))
    return join(target, 'node_modules');
  const staging = `${target}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  cpSync(join(fixture, 'package.json'), join(staging, 'package.json'));
  cpSync(join(fixture, 'package-lock.json'), join(staging, 'package-lock.json'));
  const install = await runCommand(
    npm,
    ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: staging, timeoutMs: 300_000 },
  );
  expect(install.code, install.stderr).toBe(0);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return join(target, 'node_modules');
}

describe('the host-app suite on Nest 11', () => {
  it('passes on Express and Fastify with every Nest import resolved to Nest 11', async () => {
    const modules = await nest11Modules();
    const report = join(root, 'test-results', 'host-app-nest11.json');
    rmSync(report, { force: true });
    const run = await runCommand(
      process.execPath,
      [
        join(root, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        join(fixture, 'vitest.config.ts'),
        '--reporter=json',
        `--outputFile=${report}`,
      ],
      {
        cwd: root,
        env: { ...process.env, FLOW_NEST11_NODE_MODULES: modules },
        timeoutMs: 600_000,
      },
    );
    expect(run.code, `${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`).toBe(0);
    const result = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
    expect(result.numFailedTests).toBe(0);
    expect(result.numPendingTests).toBe(0);
    const names = result.testResults.flatMap((file) =>
      file.assertionResults.filter((test) => test.status === 'passed').map((test) => test.fullName),
    );
    // The version check ran and passed, and both platforms ran the production-shaped host.
    expect(names).toContain(
      'the Nest this run tests against is Nest 11, for the tests and for lib/ alike',
    );
    for (const platform of ['express', 'fastify']) {
      expect(
        names.filter((name) => name.startsWith(`a production-shaped host app (${platform})`))
          .length,
      ).toBeGreaterThan(10);
    }
    // Every file of the run passed (none silently left out by the config).
    const files = result.testResults.map((file) => relative(root, file.name)).sort();
    expect(files).toEqual(NEST11_FILES);
    expect(result.testResults.every((file) => file.status === 'passed')).toBe(true);
  }, 900_000);
});
