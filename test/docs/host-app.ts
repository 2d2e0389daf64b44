import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** How a host app compiles: ES modules (NodeNext) or the classic CommonJS `nest new` set-up. */
export type ModuleKind = 'esm' | 'cjs';

/** A Nest app of today: ES modules, NodeNext resolution, strict, decorator metadata. */
export const ESM_COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2022', 'DOM'],
  types: ['node'],
  strict: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  skipLibCheck: true,
};

/** The classic `nest new` tsconfig (CommonJS, node10), the one the package tests also use. */
function classicCompilerOptions(): Record<string, unknown> {
  const path = join(root, 'test/package/cjs-classic/tsconfig.json');
  const classic = JSON.parse(readFileSync(path, 'utf8')) as {
    compilerOptions: Record<string, unknown>;
  };
  // Not about the code: a build cache, path mapping and .d.ts files the test does not need.
  const options = { ...classic.compilerOptions };
  for (const key of ['incremental', 'baseUrl', 'declaration']) delete options[key];
  return { ...options, lib: ['ES2022', 'DOM'], types: ['node'] };
}

/**
 * A host app's folder: its own package.json (`type: module` for ESM, none for CommonJS), the
 * package installed as npm would link it (package.json + the built dist/), every other
 * dependency the docs import from this repository, and a tsconfig compiling `blocks/`.
 */
export function makeHostApp(dir: string, kind: ModuleKind, emit: boolean): void {
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, 'nestjs-cognito-flow'), { recursive: true });
  cpSync(join(root, 'package.json'), join(modules, 'nestjs-cognito-flow/package.json'));
  symlinkSync(join(root, 'dist'), join(modules, 'nestjs-cognito-flow/dist'), 'dir');
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name === 'nestjs-cognito-flow' || name.startsWith('.')) continue;
    symlinkSync(join(root, 'node_modules', name), join(modules, name));
  }
  const manifest = kind === 'esm' ? { type: 'module', private: true } : { private: true };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  const compilerOptions = kind === 'esm' ? ESM_COMPILER_OPTIONS : classicCompilerOptions();
  const output = emit ? { outDir: 'out', sourceMap: false } : { noEmit: true };
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...compilerOptions, ...output }, include: ['blocks'] }),
  );
}
