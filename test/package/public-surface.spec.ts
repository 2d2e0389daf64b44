import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY_FILES = {
  '.': 'lib/index.ts',
  './protocol': 'lib/protocol/index.ts',
  './emulator': 'lib/emulator/index.ts',
  './testing': 'lib/testing/index.ts',
  './health': 'lib/health/index.ts',
} as const;

const program = ts.createProgram(
  Object.values(ENTRY_FILES).map((file) => join(root, file)),
  {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    skipLibCheck: true,
    noEmit: true,
  },
);
const checker = program.getTypeChecker();

/** Each name an entry point exports (values and types), with the lib/ file that declares it. */
function exportsOf(entry: keyof typeof ENTRY_FILES): Map<string, string> {
  const source = program.getSourceFile(join(root, ENTRY_FILES[entry]))!;
  const names = new Map<string, string>();
  for (let symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)) {
    const name = symbol.name;
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    names.set(name, relative(root, symbol.declarations![0].getSourceFile().fileName));
  }
  return names;
}

/** Every lib/ file an entry point loads, and every package it imports. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(join(root, file), 'utf8');
    // Type-only imports vanish from the emitted JavaScript: only what runs is followed.
    for (const match of text.matchAll(
      /(?:^|\n)\s*(import|export)\s(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)import\s+['"]([^'"]+)['"]/g,
    )) {
      const specifier = match[2] ?? match[3];
      if (specifier.startsWith('.'))
        visit(
          relative(root, resolve(dirname(join(root, file)), specifier.replace(/\.js$/, '.ts'))),
        );
      else packages.add(specifier);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the public surface', () => {
  it('exports at most 45 names at the root, types included', () => {
    const names = exportsOf('.');
    expect(names.size).toBeGreaterThan(20);
    expect(names.size).toBeLessThanOrEqual(45);
  });

  it('keeps internals out of every entry point', () => {
    const internal = [
      'FLOW_MODULE_OPTIONS',
      'FLOW_OPTIONS',
      'FLOW_EVENT_STORE',
      'FLOW_DISPATCH_STATUS',
      'resolveVerifierOptions',
      'assertFlowRequestShape',
      'receivedRequestTarget',
      'isPublicPath',
      'parseImfFixdate',
      'isCanonicalSignature',
      'dispatchResult',
      'redactSecret',
    ];
    for (const entry of Object.keys(ENTRY_FILES) as Array<keyof typeof ENTRY_FILES>) {
      const names = [...exportsOf(entry).keys()];
      expect(names.filter((name) => internal.includes(name))).toEqual([]);
    }
    // Defaults are the module's business; only the emulator documents one (its test identity).
    expect([...exportsOf('.').keys()].filter((name) => name.startsWith('DEFAULT_'))).toEqual([]);
  });

  it('puts the protocol functions at /protocol only, and /protocol loads no Nest package', () => {
    const protocol = exportsOf('./protocol');
    for (const name of [
      'buildFlowSigningString',
      'parseFlowAuthorization',
      'signFlowRequest',
      'createFlowWebhookVerifier',
      'verifyFlowWebhook',
      'createFlowRequestVerifier',
      'FlowVerificationError',
    ]) {
      expect(protocol.has(name), name).toBe(true);
      expect(exportsOf('.').has(name), name).toBe(false);
    }
    const { packages } = importGraph(ENTRY_FILES['./protocol']);
    expect([...packages].filter((name) => !name.startsWith('node:'))).toEqual([]);
  });

  it('ships the emulator at /emulator, and /testing neither exports nor loads it', () => {
    expect(exportsOf('./emulator').has('startFlowEmulator')).toBe(true);
    const testing = exportsOf('./testing');
    expect([...testing.values()].filter((file) => file.startsWith('lib/emulator/'))).toEqual([]);
    const { files, packages } = importGraph(ENTRY_FILES['./testing']);
    expect([...files].filter((file) => file.startsWith('lib/emulator/'))).toEqual([]);
    expect(packages.has('node:http')).toBe(false);
  });

  it('loads @nestjs/terminus only from /health, which exports the indicator', () => {
    expect([...exportsOf('./health').keys()].sort()).toEqual([
      'FlowApiCheckOptions',
      'FlowHealthIndicator',
      'FlowStoreCheckOptions',
    ]);
    expect(importGraph(ENTRY_FILES['./health']).packages.has('@nestjs/terminus')).toBe(true);
    for (const entry of ['.', './protocol', './emulator', './testing'] as const) {
      const { files, packages } = importGraph(ENTRY_FILES[entry]);
      expect(packages.has('@nestjs/terminus'), entry).toBe(false);
      expect(
        [...files].filter((file) => file.startsWith('lib/health/')),
        entry,
      ).toEqual([]);
    }
  });
});
