import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../support/run-node.js';
import {
  allDocBlocks,
  blockFileName,
  documentationFiles,
  guideFolder,
  typeScriptBlocks,
  type DocBlock,
} from './doc-blocks.js';
import { borrowedFiles } from './doc-apps.js';
import { ESM_COMPILER_OPTIONS, makeHostApp, root } from './host-app.js';

const tsc = join(root, 'node_modules/typescript/bin/tsc');

/** Where a fragment's names come from, first match wins. */
const AUTO_IMPORTED = [
  'nestjs-cognito-flow',
  'nestjs-cognito-flow/protocol',
  'nestjs-cognito-flow/emulator',
  'nestjs-cognito-flow/testing',
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/config',
];

/** The names each auto-imported module exports (values and types), read by the compiler. */
function exportedNames(dir: string): Map<string, string> {
  const probe = join(dir, 'probe.ts');
  writeFileSync(
    probe,
    AUTO_IMPORTED.map((name, i) => `import * as m${i} from '${name}';`).join('\n') +
      '\nexport {};\n',
  );
  const options = ts.convertCompilerOptionsFromJson(ESM_COMPILER_OPTIONS, dir).options;
  const program = ts.createProgram([probe], options);
  const checker = program.getTypeChecker();
  const owner = new Map<string, string>();
  for (const statement of program.getSourceFile(probe)!.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const from = (statement.moduleSpecifier as ts.StringLiteral).text;
    const symbol = checker.getSymbolAtLocation(statement.moduleSpecifier);
    if (!symbol) throw new Error(`${from} does not resolve from the host app`);
    for (const exported of checker.getExportsOfModule(symbol))
      if (!owner.has(exported.name)) owner.set(exported.name, from);
  }
  rmSync(probe);
  return owner;
}

/** A fragment's file: imports of the names it uses (and does not declare), its context, itself. */
function fragmentSource(block: DocBlock, owners: Map<string, string>): string {
  const text = `${block.fragmentContext}\n${block.code}`;
  const declared = new Set(
    [...text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((match) =>
      match[1].split(',').map((name) =>
        name
          .replace(/^\s*type\s+/, '')
          .split(' as ')
          .pop()!
          .trim(),
      ),
    ),
  );
  const byModule = new Map<string, string[]>();
  for (const name of new Set(text.match(/\b[A-Za-z_$][\w$]*\b/g) ?? [])) {
    const from = owners.get(name);
    if (!from || declared.has(name)) continue;
    byModule.set(from, [...(byModule.get(from) ?? []), name]);
  }
  const imports = [...byModule].map(
    ([from, names]) => `import { ${names.join(', ')} } from '${from}';`,
  );
  return [...imports, block.fragmentContext, block.code].join('\n');
}

describe('the TypeScript of README.md and docs/', () => {
  const blocks = allDocBlocks(root);
  let app: string;

  beforeAll(() => {
    app = mkdtempSync(join(tmpdir(), 'flow-docs-'));
    makeHostApp(app, 'esm', false);
  });

  afterAll(() => {
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('finds the blocks of every guide, fragments marked as such', () => {
    const sample = [
      '# t',
      '<!-- fragment: const a = 1; -->',
      '```ts',
      'a;',
      '```',
      '  ```typescript',
      '  let b = 2;',
      '  ```',
    ];
    expect(typeScriptBlocks(sample.join('\n'), 'x.md')).toEqual([
      { file: 'x.md', line: 3, code: 'a;', section: 't', fragmentContext: 'const a = 1;' },
      { file: 'x.md', line: 6, code: 'let b = 2;', section: 't' },
    ]);
    expect(documentationFiles(root)).toContain('README.md');
    expect(
      documentationFiles(root).filter((file) => file.startsWith('docs/')).length,
    ).toBeGreaterThan(5);
    expect(blocks.filter((block) => block.file === 'README.md').length).toBeGreaterThan(2);
  });

  it('reads no process.env beside Nest modules: .env is loaded by ConfigModule.forRoot(), after imports ran', () => {
    // `JwtModule.register({ secret: process.env.JWT_SECRET })` is evaluated when the file is
    // imported, before ConfigModule.forRoot() has read .env: the secret is undefined and every
    // request a silent 401. Docs read configuration through ConfigService (registerAsync).
    const offenders = blocks
      .filter(
        (block) =>
          /process\.env/.test(block.code) &&
          /@Module\(|\.register\(|forRoot\(|forRootAsync\(/.test(block.code),
      )
      .map((block) => `${block.file}:${block.line}`);
    expect(offenders).toEqual([]);
  });

  it('compiles against the built package in a host app (NodeNext, strict)', async () => {
    const owners = exportedNames(app);
    const dir = join(app, 'blocks');
    mkdirSync(dir);
    const origin = new Map<string, { block: DocBlock; offset: number }>();
    const taken = new Set<string>();
    for (const block of blocks) {
      // A block whose first line names its file (`// app.module.ts`) is written under that name,
      // beside the other blocks of its guide, so `import … from './app.module.js'` resolves.
      let name = `${guideFolder(block)}/${blockFileName(block)}`;
      if (taken.has(name)) name = `${guideFolder(block)}/${block.line}/${blockFileName(block)}`;
      taken.add(name);
      const source =
        block.fragmentContext === undefined ? block.code : fragmentSource(block, owners);
      const offset = source.split('\n').length - block.code.split('\n').length;
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      // Each block is its own module, whatever it imports.
      writeFileSync(join(dir, name), `${source}\nexport {};\n`);
      origin.set(name, { block, offset });
    }
    for (const [name, code] of borrowedFiles(blocks)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), code);
    }
    const run = await runCommand(
      process.execPath,
      [tsc, '-p', 'tsconfig.json', '--pretty', 'false'],
      {
        cwd: app,
        timeoutMs: 300_000,
      },
    );
    const errors = (run.stdout + run.stderr)
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const match = /^blocks\/([^(]+)\((\d+),(\d+)\): (.*)$/.exec(line);
        const located = match && origin.get(match[1]);
        if (!match || !located) return line;
        const row = Number(match[2]) - located.offset;
        return `${located.block.file}:${located.block.line + row} ${match[4]}`;
      });
    expect(errors).toEqual([]);
    expect(run.code).toBe(0);
  }, 300_000);
});
