import { Injectable, type CanActivate } from '@nestjs/common';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  FlowModuleAsyncOptions,
  FlowModuleOptions,
  FlowSignatureEndpointOptions,
} from '../../lib/index.js';

@Injectable()
class AllowGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

type StaticEndpoint = NonNullable<FlowModuleAsyncOptions['signatureEndpoint']>;

// These checks run in `tsc -p tsconfig.json --noEmit` (the suite's typecheck): each
// `@ts-expect-error` line fails the build if the shape it refuses ever compiles.
describe('signatureEndpoint option types', () => {
  it('accepts enabled: false without guards, in forRoot and forRootAsync', () => {
    const forRoot: FlowModuleOptions['signatureEndpoint'] = { enabled: false };
    const forRootAsync: FlowModuleAsyncOptions['signatureEndpoint'] = { enabled: false };
    expectTypeOf({ enabled: false as const }).toExtend<FlowSignatureEndpointOptions>();
    expectTypeOf({ enabled: false as const }).toExtend<StaticEndpoint>();
    expect([forRoot, forRootAsync]).toEqual([{ enabled: false }, { enabled: false }]);
  });

  it('requires guards when the route is enabled, explicitly or by default', () => {
    // @ts-expect-error enabled: true without guards would be an unguarded route
    const explicit: FlowSignatureEndpointOptions = { enabled: true };
    // @ts-expect-error the default is enabled, so guards are required
    const byDefault: FlowSignatureEndpointOptions = { path: 'me/flow' };
    // @ts-expect-error the async static shape keeps the rule
    const async: StaticEndpoint = { enabled: true };
    expectTypeOf<{ enabled: true }>().not.toExtend<FlowSignatureEndpointOptions>();
    expectTypeOf<{ path: string }>().not.toExtend<StaticEndpoint>();
    expect([explicit, byDefault, async]).toHaveLength(3);
  });

  it('accepts guards with enabled true, false, absent or a boolean variable', () => {
    const enabled = process.env.FLOW_TYPES_PROBE === undefined;
    const shapes: FlowSignatureEndpointOptions[] = [
      { guards: [AllowGuard] },
      { guards: [AllowGuard], enabled: true },
      { guards: [AllowGuard], enabled: false },
      { guards: [AllowGuard], enabled },
    ];
    const asyncShape: StaticEndpoint = { guards: [AllowGuard], enabled, imports: [] };
    expectTypeOf<FlowModuleOptions['signatureEndpoint']>().toEqualTypeOf<
      FlowSignatureEndpointOptions | undefined
    >();
    expect([...shapes, asyncShape]).toHaveLength(5);
  });

  it('lets the async static shape carry customerReference and the factory only that', () => {
    const asyncShape: StaticEndpoint = {
      guards: [AllowGuard],
      customerReference: (request: { user: { id: string } }) => request.user.id,
    };
    expectTypeOf<StaticEndpoint>().toHaveProperty('customerReference');
    expect(typeof asyncShape.customerReference).toBe('function');
  });

  it("spells the global-guards choice exactly 'global', in forRoot and forRootAsync", () => {
    const forRoot: FlowSignatureEndpointOptions = { guards: 'global' };
    const forRootAsync: StaticEndpoint = { guards: 'global' };
    // @ts-expect-error only the exact spelling 'global' is accepted
    const misspelt: FlowSignatureEndpointOptions = { guards: 'globals' };
    expectTypeOf({ guards: 'global' as const }).toExtend<FlowSignatureEndpointOptions>();
    expect([forRoot, forRootAsync, misspelt]).toHaveLength(3);
  });
});
