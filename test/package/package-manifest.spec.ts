import { builtinModules } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The package.json fields these tests read. */
interface Manifest {
  type: string;
  main: string;
  types: string;
  files: string[];
  exports: Record<string, Record<string, string>>;
  engines: { node: string };
  scripts: Record<string, string>;
  typesVersions: Record<string, Record<string, string[]>>;
  dependencies?: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** The package's entry points, as `exports` lists them. */
const SUBPATHS = ['./protocol', './emulator', './testing', './health'];
const ENTRY_POINTS = ['.', ...SUBPATHS];

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const libFiles = sourceFiles(join(root, 'lib'));
const importSpecifiers = (source: string) =>
  [
    ...source.matchAll(
      /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((match) => match[1] ?? match[2]);

describe('package manifest', () => {
  it('publishes ESM with an exports map of types, import and default', () => {
    expect(manifest.type).toBe('module');
    expect(manifest.main).toBe('./dist/index.js');
    expect(manifest.types).toBe('./dist/index.d.ts');
    expect(manifest.files).toEqual(['dist', 'docs', 'SECURITY.md', 'CHANGELOG.md']);
    expect(manifest.scripts.prepack).toBe('npm run build');
    expect(Object.keys(manifest.exports)).toEqual([...ENTRY_POINTS, './package.json']);
    for (const entry of ENTRY_POINTS) {
      const dir = entry === '.' ? '' : `${entry.slice(2)}/`;
      expect(manifest.exports[entry]).toEqual({
        types: `./dist/${dir}index.d.ts`,
        import: `./dist/${dir}index.js`,
        default: `./dist/${dir}index.js`,
      });
    }
    // CommonJS hosts on node10 resolution ignore exports: typesVersions maps each subpath for them.
    expect(manifest.typesVersions).toEqual({
      '*': Object.fromEntries(
        SUBPATHS.map((entry) => [entry.slice(2), [manifest.exports[entry].types]]),
      ),
    });
    expect(manifest.engines.node).toBe('^20.19.0 || ^22.12.0 || ^24.0.0');
  });

  it('admits Nest 11 and 12 as peers', () => {
    expect(manifest.peerDependencies['@nestjs/common']).toBe('^11.0.0 || ^12.0.0');
    expect(manifest.peerDependencies['@nestjs/core']).toBe('^11.0.0 || ^12.0.0');
    expect(manifest.peerDependencies['@nestjs/config']).toBe('^4.0.0 || ^12.0.0');
    expect(manifest.peerDependencies.rxjs).toMatch(/^\^7/);
    expect(manifest.peerDependencies['reflect-metadata']).toBeDefined();
    expect(manifest.peerDependenciesMeta?.ioredis?.optional).toBe(true);
    expect(manifest.peerDependenciesMeta?.pg?.optional).toBe(true);
    expect(manifest.peerDependenciesMeta?.typeorm?.optional).toBe(true);
    expect(manifest.peerDependencies['@nestjs/terminus']).toBe('^11.0.0 || ^12.0.0');
    expect(manifest.peerDependenciesMeta?.['@nestjs/terminus']?.optional).toBe(true);
  });

  it('imports from lib/ only what it declares, and Nest only from package roots', () => {
    const declared = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    const problems: string[] = [];
    for (const file of libFiles) {
      for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) {
          if (!specifier.endsWith('.js'))
            problems.push(`${relative(root, file)}: relative import without .js: ${specifier}`);
          continue;
        }
        if (builtins.has(specifier)) continue;
        const name = specifier.startsWith('@')
          ? specifier.split('/').slice(0, 2).join('/')
          : specifier.split('/')[0];
        if (!declared.has(name))
          problems.push(`${relative(root, file)}: undeclared dependency ${specifier}`);
        if (name.startsWith('@nestjs/') && specifier !== name)
          problems.push(`${relative(root, file)}: deep Nest import ${specifier}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has no top-level await in lib/ (require(esm) refuses it)', () => {
    // Formatted code keeps top-level statements at column 0; inside a function they are indented.
    const offenders = libFiles.filter((file) =>
      /^(?![\s}*/])[^\n]*\bawait\b/m.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(root, file))).toEqual([]);
  });

  it('documents every exported symbol with JSDoc', () => {
    const undocumented: string[] = [];
    for (const file of libFiles) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, index) => {
        if (
          !/^export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:const|let|function|class|interface|type|enum)\s+[A-Za-z_$]/.test(
            line,
          )
        )
          return;
        let previous = index - 1;
        // Decorators sit between a class's JSDoc and its declaration.
        while (
          previous >= 0 &&
          /^\s*@|^\s*\}\)\s*$|^\s{2,}\S/.test(lines[previous]) &&
          !/\*\/\s*$/.test(lines[previous])
        )
          previous -= 1;
        if (previous < 0 || !/\*\/\s*$/.test(lines[previous]))
          undocumented.push(`${relative(root, file)}:${index + 1}`);
      });
    }
    expect(undocumented).toEqual([]);
  });
});
