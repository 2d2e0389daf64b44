import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = join(root, 'scripts/check-folder-cycles.mjs');
const made: string[] = [];

/** Writes `files` (path → source) under a fresh directory and returns it. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'folder-cycles-'));
  made.push(dir);
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  return dir;
}

function check(dir: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [script, dir], { cwd: root, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the folder-cycle check of npm run lint', () => {
  it('is part of npm run lint', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts.lint).toContain('node scripts/check-folder-cycles.mjs');
  });

  it('passes on lib/', () => {
    const run = check(join(root, 'lib'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('fails on two folders importing each other, naming the path and the imports', () => {
    const dir = tree({
      'config/options.ts':
        "import { guard } from '../webhook/guard.js';\nexport const a = guard;\n",
      'webhook/guard.ts':
        "import type { A } from '../config/options.js';\nexport const guard = 1;\n",
    });
    const run = check(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Import cycle between folders: config -> webhook -> config');
    expect(run.stderr).toContain('config/options.ts imports ../webhook/guard.js');
    expect(run.stderr).toContain('webhook/guard.ts imports ../config/options.js');
  });

  it('follows re-exports, nested folders and import() across three folders', () => {
    const dir = tree({
      'a/index.ts': "export * from './inner/x.js';\n",
      'a/inner/x.ts': "export { y } from '../../b/y.js';\n",
      'b/y.ts': "export const y = async () => import('../c/z.js');\n",
      'c/z.ts': "import '../a/index.js';\n",
    });
    const run = check(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Import cycle between folders: a -> b -> c -> a');
  });

  it('passes when arrows point one way, and ignores imports inside comments and strings', () => {
    const dir = tree({
      'config/compose.ts': "import { part } from '../part/options.js';\nexport const all = part;\n",
      'part/options.ts':
        "// import { all } from '../config/compose.js';\n" +
        'export const part = "import \'../config/compose.js\'";\n',
      'flow.module.ts': "import { all } from './config/compose.js';\nexport const m = all;\n",
    });
    const run = check(dir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
