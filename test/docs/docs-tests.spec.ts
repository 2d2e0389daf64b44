import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../support/run-node.js';
import { docTestFiles } from './doc-apps.js';
import { allDocBlocks } from './doc-blocks.js';
import { makeHostApp, root } from './host-app.js';

const testFiles = docTestFiles(allDocBlocks(root));
const fixtures = join(root, 'test/docs/fixtures');
const guide = readFileSync(join(root, 'docs/testing.md'), 'utf8');

/** The code block of a guide whose first line is `// <name>`, in any language. */
function documentedFile(markdown: string, name: string): string {
  const block = new RegExp('```\\w*\\n// ' + name.replace('.', '\\.') + '\\n([\\s\\S]*?)```').exec(
    markdown,
  );
  if (!block) throw new Error(`docs/testing.md shows no block named // ${name}`);
  return block[1];
}

/** What a reader's .env holds for the README's app: sandbox values, made for this run. */
const READER_ENV = {
  FLOW_API_SECRET: `sandbox_secret_${randomBytes(32).toString('hex')}`,
  FLOW_API_KEY: 'sandbox_key_0123456789abcdef0123456789abcdef',
  FLOW_PUBLISHABLE_KEY: 'sandbox_publishable_key_0123456789abcdef',
  FLOW_TEMPLATE_ID: 'flwtmp_0123456789abcd',
  JWT_SECRET: randomBytes(32).toString('hex'),
};

interface RunnerReport {
  numFailedTests: number;
  numPassedTests: number;
  testResults: { name: string; status: string; message?: string }[];
}

/** A host app holding the docs' test examples (`rewrite` applied) and one runner's config. */
function hostWithExamples(runner: string, rewrite: (code: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), `flow-docs-${runner}-`));
  makeHostApp(dir, 'esm', false);
  // Under blocks/, which the app's tsconfig.json includes: Vite's oxc reads its decorator options.
  for (const [name, code] of testFiles) {
    mkdirSync(dirname(join(dir, 'blocks', name)), { recursive: true });
    writeFileSync(join(dir, 'blocks', name), rewrite(code));
  }
  return dir;
}

async function runTests(dir: string, args: string[]): Promise<RunnerReport> {
  const run = await runCommand(process.execPath, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...READER_ENV },
    timeoutMs: 240_000,
  });
  let report: RunnerReport;
  try {
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunnerReport;
  } catch {
    throw new Error(`no report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  const failures = report.testResults.filter((result) => result.status !== 'passed');
  expect(failures, `${run.stdout}\n${run.stderr}`).toEqual([]);
  return report;
}

const exampleCount = [...testFiles.keys()].filter((name) => name.endsWith('.spec.ts')).length;
const testCount = [...testFiles.values()].join('\n').match(/^it\(/gm)?.length ?? 0;

describe('the test examples of README.md and docs/', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('are named test files', () => {
    expect(exampleCount).toBeGreaterThanOrEqual(3);
    expect(testCount).toBeGreaterThanOrEqual(exampleCount);
  });

  it('pass with Vitest, configured as docs/testing.md shows', async () => {
    const config = join(fixtures, 'vitest/vitest.config.ts');
    expect(readFileSync(config, 'utf8')).toBe(documentedFile(guide, 'vitest.config.ts'));
    const dir = hostWithExamples('vitest', (code) => code);
    dirs.push(dir);
    copyFileSync(config, join(dir, 'vitest.config.ts'));
    const vitest = join(root, 'node_modules/vitest/vitest.mjs');
    const report = await runTests(dir, [
      vitest,
      'run',
      '--reporter=json',
      '--outputFile=report.json',
    ]);
    expect(report.numPassedTests).toBe(testCount);
    expect(report.numFailedTests).toBe(0);
  }, 300_000);

  it('pass with Jest, configured as docs/testing.md shows', async () => {
    const config = join(fixtures, 'jest/jest.config.mjs');
    expect(readFileSync(config, 'utf8')).toBe(documentedFile(guide, 'jest.config.mjs'));
    // As docs/testing.md says: with Jest, the test functions come from @jest/globals.
    const dir = hostWithExamples('jest', (code) =>
      code.replace(/from 'vitest';/g, "from '@jest/globals';"),
    );
    dirs.push(dir);
    copyFileSync(config, join(dir, 'jest.config.mjs'));
    const jest = join(root, 'node_modules/jest/bin/jest.js');
    const report = await runTests(dir, [
      '--experimental-vm-modules',
      jest,
      '--json',
      '--outputFile=report.json',
    ]);
    expect(report.numPassedTests).toBe(testCount);
    expect(report.numFailedTests).toBe(0);
  }, 300_000);
});
