import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Nest's injector reads decorator metadata. Vite 8's own transform (oxc) emits it when
// tsconfig.json asks (the set-up docs/testing.md gives apps). This suite compiles with SWC,
// which emits the same legacy decorators and metadata as tsc does for lib/.
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
