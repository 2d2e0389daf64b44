import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../support/run-node.js';

const distIndex = pathToFileURL(
  fileURLToPath(new URL('../../dist/index.js', import.meta.url)),
).href;

// A resolve hook that makes `ioredis` impossible to find, as in a host that never installed it.
const hideIoredis = `export async function resolve(specifier, context, next) {
  if (specifier === 'ioredis' || specifier.startsWith('ioredis/')) {
    throw Object.assign(new Error("Cannot find package 'ioredis'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`;

const script = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hideIoredis)}));
const lib = await import(${JSON.stringify(distIndex)});
const store = new lib.RedisFlowEventStore({ url: 'redis://127.0.0.1:1' });
try {
  await store.claim('whkevt_x', 'token', 1000);
  console.log(JSON.stringify({ claimed: true }));
} catch (error) {
  console.log(JSON.stringify({ name: error.name, reason: error.reason, message: error.message }));
}
`;

describe('ioredis is an optional peer', () => {
  it('the built package loads without ioredis, and the Redis store says how to install it when used', async () => {
    const run = await runCommand(process.execPath, ['--input-type=module', '-e', script], {
      timeoutMs: 30_000,
    });
    expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND/);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({
      name: 'FlowEventStoreUnavailableError',
      reason: 'not_connected',
      message: 'RedisFlowEventStore needs the ioredis package: npm install ioredis',
    });
  });
});
