import 'reflect-metadata';
import {
  Controller,
  Get,
  Injectable,
  Module,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { FlowConfigurationError, FlowSigner } from '../../lib/index.js';
import { type FlowSignatureResponse } from '../../lib/signature-endpoint/flow-signature-response.js';
import {
  BearerJwtGuard,
  PLATFORMS,
  REGISTRATIONS,
  bearerFor,
  flowModule,
  hmac,
  jwtEndpoint,
  startApp,
  useApps,
} from './signature-test-app.js';

const ROUTE = '/users/current/flow_signature';

/** A guard that refuses everyone and records that it ran. Made per test so spies do not leak. */
function denyingGuard(): { Guard: Type<CanActivate>; calls: () => number } {
  let calls = 0;
  @Injectable()
  class DenyEveryoneGuard implements CanActivate {
    canActivate(): boolean {
      calls += 1;
      return false;
    }
  }
  return { Guard: DenyEveryoneGuard, calls: () => calls };
}

/** Nest's guards metadata key, read from what UseGuards writes (not exported from the package root). */
const GUARDS_METADATA = (() => {
  class Probe {}
  UseGuards({ canActivate: () => true })(Probe);
  return Reflect.getOwnMetadataKeys(Probe)[0] as string;
})();

/**
 * The naive construction: a static controller whose guards are attached from a provider factory,
 * i.e. after Nest scanned the module. `how` picks the two usual spellings of that mistake.
 */
function naivelyGuardedModule(guard: Type<CanActivate>, how: 'UseGuards' | 'defineMetadata'): Type {
  @Controller()
  class NaiveSignatureController {
    @Get('users/current/flow_signature')
    signature(): { user: { signature: string } } {
      return { user: { signature: 'issued' } };
    }
  }
  @Module({
    controllers: [NaiveSignatureController],
    providers: [
      {
        provide: 'ATTACH_HOST_GUARDS',
        useFactory: () => {
          if (how === 'UseGuards') UseGuards(guard)(NaiveSignatureController);
          else Reflect.defineMetadata(GUARDS_METADATA, [guard], NaiveSignatureController);
          return true;
        },
      },
    ],
  })
  class NaiveSignatureModule {}
  return NaiveSignatureModule;
}

/** A guard instance (not a class) that admits one static token and sets the principal. */
class StaticTokenGuard implements CanActivate {
  constructor(private readonly token: string) {}
  canActivate(context: ExecutionContext): boolean {
    const req = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; user?: unknown }>();
    if (req.headers['x-session'] !== this.token) throw new UnauthorizedException();
    req.user = { id: 'instance-user' };
    return true;
  }
}

describe.each(PLATFORMS)('signature endpoint guards on %s', (_platform, adapter) => {
  describe.each(REGISTRATIONS)('with FlowModule.%s', (registration) => {
    const start = useApps(adapter);
    let sign: MockInstance<FlowSigner['sign']>;

    beforeEach(() => {
      sign = vi.spyOn(FlowSigner.prototype, 'sign');
    });
    afterEach(() => {
      vi.restoreAllMocks();
    });

    describe('the dropped-guard pitfall', () => {
      it.each(['UseGuards', 'defineMetadata'] as const)(
        'negative control: a denying guard attached with %s from a provider factory is bypassed',
        async (how) => {
          const { Guard, calls } = denyingGuard();
          const NaiveModule = naivelyGuardedModule(Guard, how);
          const url = await start([NaiveModule]);
          const res = await request(url).get(ROUTE);
          // The metadata is there, yet Nest never instantiated the guard: the route is public.
          expect(res.status).toBe(200);
          expect(res.body).toEqual({ user: { signature: 'issued' } });
          expect(calls()).toBe(0);
        },
      );

      it('our construction runs the same denying guard and the route stays closed', async () => {
        const { Guard, calls } = denyingGuard();
        const url = await start([flowModule(registration, { guards: [Guard] })]);
        const res = await request(url).get(ROUTE);
        expect(res.status).toBe(403);
        expect(calls()).toBe(1);
        expect(sign).not.toHaveBeenCalled();
      });
    });

    it('builds a separate controller per registration, so guards never carry over', async () => {
      const { Guard, calls } = denyingGuard();
      const closed = flowModule(registration, { guards: [Guard] });
      const open = flowModule(registration, { guards: [new StaticTokenGuard('open-sesame')] });
      expect(closed.controllers?.[0]).not.toBe(open.controllers?.[0]);
      const [closedUrl, openUrl] = [await start([closed]), await start([open])];
      expect((await request(openUrl).get(ROUTE).set('X-Session', 'open-sesame')).status).toBe(200);
      expect(calls()).toBe(0);
      expect((await request(closedUrl).get(ROUTE).set('X-Session', 'open-sesame')).status).toBe(
        403,
      );
      expect(calls()).toBe(1);
    });

    it('resolves a guard with injected dependencies from signatureEndpoint.imports', async () => {
      const url = await start([flowModule(registration, jwtEndpoint())]);
      expect((await request(url).get(ROUTE)).status).toBe(401);
      const res = await request(url).get(ROUTE).set('Authorization', bearerFor('jwt-user'));
      expect(res.status).toBe(200);
      expect((res.body as FlowSignatureResponse).user).toStrictEqual({
        customerReference: 'jwt-user',
        signature: hmac('jwt-user'),
      });
    });

    it('fails to start, naming the guard, when the guard dependencies are not imported', async () => {
      await expect(
        startApp(adapter, [flowModule(registration, { guards: [BearerJwtGuard] })]),
      ).rejects.toThrow(/BearerJwtGuard[\s\S]*JwtService|JwtService[\s\S]*BearerJwtGuard/);
    });

    it('accepts guard instances', async () => {
      const url = await start([
        flowModule(registration, { guards: [new StaticTokenGuard('open-sesame')] }),
      ]);
      expect((await request(url).get(ROUTE)).status).toBe(401);
      expect((await request(url).get(ROUTE).set('X-Session', 'wrong')).status).toBe(401);
      expect(sign).not.toHaveBeenCalled();
      const res = await request(url).get(ROUTE).set('X-Session', 'open-sesame');
      expect(res.status).toBe(200);
      expect((res.body as FlowSignatureResponse).user).toStrictEqual({
        customerReference: 'instance-user',
        signature: hmac('instance-user'),
      });
    });

    it('requires every guard to pass when several are given', async () => {
      const { Guard, calls } = denyingGuard();
      const url = await start([
        flowModule(registration, jwtEndpoint({ guards: [BearerJwtGuard, Guard] })),
      ]);
      const res = await request(url).get(ROUTE).set('Authorization', bearerFor('jwt-user'));
      expect(res.status).toBe(403);
      expect(calls()).toBe(1);
      expect(sign).not.toHaveBeenCalled();
    });

    it.each([
      ['an empty guards array', { guards: [] }],
      ['no guards field', {}],
      ['guards: undefined', { guards: undefined }],
    ])('refuses to start with %s, saying how to fix it', (_label, endpoint) => {
      let thrown: unknown;
      try {
        flowModule(registration, endpoint as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(FlowConfigurationError);
      expect((thrown as FlowConfigurationError).code).toBe('missing_guard');
      const message = (thrown as Error).message;
      expect(message).toContain('guards: [');
      expect(message).toContain('enabled');
      expect(message).toContain('FlowSigner');
    });

    it('refuses to start when a guard entry is undefined (a circular import)', () => {
      expect(() =>
        flowModule(registration, { guards: [BearerJwtGuard, undefined as never] }),
      ).toThrowError(
        expect.objectContaining({
          code: 'missing_guard',
          message: expect.stringContaining('guards[1] is undefined') as unknown,
        }),
      );
    });

    it.each([
      [
        'a class without canActivate (a Passport strategy given for its guard)',
        class JwtStrategy {
          validate(): boolean {
            return true;
          }
        },
      ],
      ['an arrow function', () => true],
      [
        'a plain function',
        function allow(): boolean {
          return true;
        },
      ],
    ])('refuses to start when a guard entry is %s, which Nest 11 would skip', (_label, guard) => {
      expect(() =>
        flowModule(registration, {
          guards: [BearerJwtGuard, guard as never],
          imports: jwtEndpoint().imports,
        }),
      ).toThrowError(
        expect.objectContaining({
          code: 'missing_guard',
          message: expect.stringContaining('guards[1]') as unknown,
        }),
      );
    });

    it('accepts a guard class whose canActivate is inherited', async () => {
      class DerivedGuard extends StaticTokenGuard {
        constructor() {
          super('derived');
        }
      }
      const url = await start([flowModule(registration, { guards: [new DerivedGuard()] })]);
      expect((await request(url).get(ROUTE)).status).toBe(401);
      expect(() => flowModule(registration, { guards: [DerivedGuard] })).not.toThrow();
    });

    it('registers no route with enabled: false, even without guards', async () => {
      const url = await start([flowModule(registration, { guards: [], enabled: false })]);
      expect((await request(url).get(ROUTE)).status).toBe(404);
    });

    it('starts with no route when enabled: false leaves the guards key out', async () => {
      const url = await start([flowModule(registration, { enabled: false })]);
      expect((await request(url).get(ROUTE)).status).toBe(404);
    });

    it('registers no route without a signatureEndpoint block', async () => {
      const url = await start([flowModule(registration, undefined)]);
      expect((await request(url).get(ROUTE)).status).toBe(404);
    });
  });
});
