import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC emits the decorator metadata Nest's injector reads; esbuild/oxc's default transform drops it.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  test: {
    include: ['test/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: [
      'test/setup/build-global-setup.ts',
      'test/setup/redis-global-setup.ts',
      'test/setup/postgres-global-setup.ts',
    ],
  },
});
