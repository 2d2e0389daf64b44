import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../support/run-node.js';

const distIndex = pathToFileURL(
  fileURLToPath(new URL('../../../dist/index.js', import.meta.url)),
).href;

// A resolve hook that makes `pg` impossible to find, as in a host that never installed it.
const hidePg = `export async function resolve(specifier, context, next) {
  if (specifier === 'pg' || specifier.startsWith('pg/')) {
    throw Object.assign(new Error("Cannot find package 'pg'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`;

const script = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hidePg)}));
const lib = await import(${JSON.stringify(distIndex)});
console.log(JSON.stringify({ store: typeof lib.PostgresFlowEventStore, memory: typeof lib.MemoryFlowEventStore }));
`;

describe('pg is an optional peer', () => {
  it('the built package loads without pg: the PostgreSQL store only types against it and uses the pool the host passes', async () => {
    const run = await runCommand(process.execPath, ['--input-type=module', '-e', script], {
      timeoutMs: 30_000,
    });
    expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND/);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({
      store: 'function',
      memory: 'function',
    });
  });
});
