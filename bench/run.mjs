// `npm run bench` (full run, writes BENCHMARKS.md) and `npm run bench -- --quick` (a few seconds,
// writes bench/.out/BENCHMARKS.quick.md). Compiles lib/ and the benchmark with the project's own
// TypeScript into bench/.out first, so a fresh clone needs nothing but `npm ci`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const entry = fileURLToPath(new URL('./.out/bench/main.js', import.meta.url));

let compiled = true;
try {
  execFileSync(process.execPath, [tsc, '-p', 'bench/tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
} catch {
  compiled = false;
  console.error('bench: TypeScript reported errors (above).');
}
if (!existsSync(entry)) {
  console.error('bench: nothing was compiled; fix the errors above.');
  process.exit(1);
}

const { main } = await import(pathToFileURL(entry).href);
const code = await main(process.argv.slice(2));
// Type errors mean the code under test is broken even if the figures came out.
process.exit(compiled ? code : 1);
