import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../support/run-node.js';
import { DOC_APP_CHECKS } from './doc-app-checks.js';
import { docApps } from './doc-apps.js';
import { allDocBlocks } from './doc-blocks.js';
import { makeHostApp, root, type ModuleKind } from './host-app.js';

const tsc = join(root, 'node_modules/typescript/bin/tsc');
const preload = fileURLToPath(new URL('./listen-on-loopback.mjs', import.meta.url));
const { files, apps } = docApps(allDocBlocks(root));

/** Starts a compiled app; resolves with its loopback base URL once it listens. */
function start(entry: string, cwd: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', preload, entry], {
    cwd,
    // Only what the snippet's reader would set: no FLOW_* of the test run leaks in.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listen in 60 s:\n${output}`)), 60_000);
    child.on('message', (message: { listening: number; app: boolean }) => {
      if (!message.app) return;
      clearTimeout(timer);
      resolve(`http://127.0.0.1:${message.listening}`);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${output}`));
    });
  });
  return { child, listening, output: () => output };
}

/** Stops an app and waits for its exit. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe.each<ModuleKind>(['esm', 'cjs'])('the apps of README.md and docs/, %s', (kind) => {
  let dir: string;
  let compileErrors: string[] = [];
  const running: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `flow-docs-${kind}-`));
    makeHostApp(dir, kind, true);
    for (const [name, code] of files) {
      mkdirSync(dirname(join(dir, 'blocks', name)), { recursive: true });
      writeFileSync(join(dir, 'blocks', name), code);
    }
    const run = await runCommand(
      process.execPath,
      [tsc, '-p', 'tsconfig.json', '--pretty', 'false'],
      {
        cwd: dir,
        timeoutMs: 300_000,
      },
    );
    compileErrors = (run.stdout + run.stderr).split('\n').filter((line) => line.trim() !== '');
  }, 300_000);

  afterEach(async () => {
    await Promise.all(running.splice(0).map(stop));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the apps, each with its check', () => {
    expect(apps.length).toBeGreaterThanOrEqual(6);
    expect(apps.map((app) => app.key).filter((key) => !DOC_APP_CHECKS[key])).toEqual([]);
  });

  it('compiles every app', () => {
    expect(compileErrors).toEqual([]);
  });

  it.each(apps)(
    '$origin ($key) starts and answers',
    async (app) => {
      const check = DOC_APP_CHECKS[app.key];
      const entry = join(dir, 'out', app.entry.replace(/\.ts$/, '.js'));
      const started = start(entry, dir, check.env);
      running.push(started.child);
      const base = await started.listening;
      try {
        await check.check(base);
      } catch (error) {
        throw new Error(`${String(error)}\napp output:\n${started.output()}`, { cause: error });
      }
    },
    90_000,
  );
});
