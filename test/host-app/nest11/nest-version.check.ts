import { createRequire } from 'node:module';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { describe, expect, it } from 'vitest';

// Where the aliased imports really lead: what the tests and lib/ import must be Nest 11.
describe('the Nest this run tests against', () => {
  it('is Nest 11, for the tests and for lib/ alike', async () => {
    const modules = process.env.FLOW_NEST11_NODE_MODULES!;
    const nestRequire = createRequire(`${modules}/`);
    const core = nestRequire('@nestjs/core/package.json') as { version: string };
    const common = nestRequire('@nestjs/common/package.json') as { version: string };
    expect(core.version).toMatch(/^11\./);
    expect(common.version).toMatch(/^11\./);
    // The very objects the tests import are Nest 11's.
    expect(NestFactory).toBe((nestRequire('@nestjs/core') as { NestFactory: unknown }).NestFactory);
    expect(APP_GUARD).toBe('APP_GUARD');
    const lib = await import('../../../lib/signature-endpoint/global-guards.check.js');
    const { DiscoveryService } = nestRequire('@nestjs/core') as { DiscoveryService: unknown };
    expect(Reflect.getMetadata('design:paramtypes', lib.FlowGlobalGuardsCheck)).toContain(
      DiscoveryService,
    );
  });
});
