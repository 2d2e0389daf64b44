// `npm run build` (and `prepack`, so `npm pack` always ships a fresh build): dist/ is emptied first,
// so no file of a deleted source survives, then compiled from lib/; the CLI bins are made
// executable, as a packed bin must be.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
for (const bin of Object.values(manifest.bin ?? {}))
  chmodSync(new URL(`../${bin}`, import.meta.url), 0o755);
