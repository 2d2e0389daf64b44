import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../support/run-node.js';

const distIndex = pathToFileURL(
  fileURLToPath(new URL('../../../dist/index.js', import.meta.url)),
).href;

// A resolve hook that makes `pg` and `typeorm` impossible to find, as in a host that never
// installed them.
const hidePg = `export async function resolve(specifier, context, next) {
  if (/^(pg|typeorm)(\\/|$)/.test(specifier)) {
    throw Object.assign(new Error("Cannot find package 'pg'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`;

const script = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hidePg)}));
const lib = await import(${JSON.stringify(distIndex)});
console.log(JSON.stringify({ store: typeof lib.PostgresFlowEventStore, typeorm: typeof lib.typeOrmDatabase }));
`;

describe('pg and typeorm are optional peers', () => {
  it('the built package loads without them: the PostgreSQL store and the TypeORM adapter only type against them and use what the host passes', async () => {
    const run = await runCommand(process.execPath, ['--input-type=module', '-e', script], {
      timeoutMs: 30_000,
    });
    expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND/);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({
      store: 'function',
      typeorm: 'function',
    });
  });
});
