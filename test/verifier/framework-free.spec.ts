import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const lib = fileURLToPath(new URL('../../lib/', import.meta.url));

/** Every module specifier `file` imports, followed through relative imports. */
function importsOf(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  // Import and export statements only (a line starting with the keyword), never prose in strings.
  const statements = /^(?:(?:import|export)\b[^;'"]*?\bfrom\s*|import\s*)'([^']+)'/gm;
  for (const match of readFileSync(file, 'utf8').matchAll(statements)) {
    const specifier = match[1];
    if (specifier.startsWith('.'))
      importsOf(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')), seen);
    else seen.add(specifier);
  }
  return seen;
}

describe('the signing scheme, the verifier, the API client and the emulator are framework-free', () => {
  it.each(['http-signature', 'verifier', 'api', 'delivery', 'emulator'])(
    'lib/%s imports nothing from Nest, even indirectly',
    (folder) => {
      const all = new Set<string>();
      for (const name of readdirSync(join(lib, folder), { recursive: true, encoding: 'utf8' }))
        // A folder's thin Nest adapter (`*.provider.ts`) is the one file allowed to know Nest.
        if (name.endsWith('.ts') && !name.endsWith('.provider.ts'))
          for (const spec of importsOf(join(lib, folder, name))) all.add(spec);
      const packages = [...all].filter((spec) => !spec.startsWith('/'));
      expect(
        packages.filter((spec) => spec.startsWith('@nestjs') || spec === 'reflect-metadata'),
      ).toEqual([]);
      expect(packages.every((spec) => spec.startsWith('node:'))).toBe(true);
    },
  );
});
