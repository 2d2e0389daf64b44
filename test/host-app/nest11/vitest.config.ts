import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// The host-app suite again, with Nest and its companions taken from a Nest 11 install: every
// import of `@nestjs/*`, `rxjs` and `reflect-metadata` (in the tests and in lib/ alike) resolves
// to that install, and the Nest packages there load their own Nest 11 dependencies.
// test/host-app/nest11.spec.ts installs it (cached) and runs this config.
const modules = process.env.FLOW_NEST11_NODE_MODULES;
if (!modules) {
  throw new Error(
    'FLOW_NEST11_NODE_MODULES must name a node_modules folder holding Nest 11; run test/host-app/nest11.spec.ts.',
  );
}

export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: [
      {
        find: /^(@nestjs\/[^/]+|rxjs|reflect-metadata)(\/.*)?$/,
        replacement: `${modules}/$1$2`,
      },
    ],
  },
  test: {
    include: [
      'test/host-app/*.spec.ts',
      'test/host-app/nest11/*.check.ts',
      'test/signature-endpoint/global-guards.spec.ts',
      'test/signature-endpoint/signature-cache.spec.ts',
      'test/signature-endpoint/hosted-session-host-app.spec.ts',
      // What reads Nest through DiscoveryService and Reflector: the same on both majors.
      'test/events/scoped-handler-module.spec.ts',
      'test/routing/route-scan.spec.ts',
      'test/webhook/flow-webhook-guard-setups.spec.ts',
      'test/webhook/public-path-binding.spec.ts',
    ],
    exclude: ['test/host-app/nest11.spec.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
