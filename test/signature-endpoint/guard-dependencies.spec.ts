import 'reflect-metadata';
import { Inject, Injectable, Module, Scope, type CanActivate } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { FlowConfigurationError } from '../../lib/index.js';
import {
  BearerJwtGuard,
  PLATFORMS,
  REGISTRATIONS,
  bearerFor,
  flowModule,
  jwtEndpoint,
  useApps,
} from './signature-test-app.js';

const ROUTE = '/users/current/flow_signature';

/** Counts how many times Nest built it, to prove the start-up check never runs its constructor. */
let countedBuilds = 0;
@Injectable()
class CountedJwtGuard extends BearerJwtGuard {
  constructor(@Inject(JwtService) jwt: JwtService) {
    super(jwt);
    countedBuilds += 1;
  }
}

/** A guard whose dependency is injected on a property rather than in the constructor. */
@Injectable()
class PropertyJwtGuard implements CanActivate {
  @Inject(JwtService) private readonly jwt!: JwtService;

  canActivate(): boolean {
    return this.jwt !== undefined;
  }
}

/** A request-scoped guard reading the request Nest injects: the start-up check must not trip on it. */
@Injectable({ scope: Scope.REQUEST })
class RequestScopedGuard implements CanActivate {
  constructor(@Inject(REQUEST) private readonly request: { headers: Record<string, unknown> }) {}

  canActivate(): boolean {
    return this.request.headers['x-let-in'] === 'yes';
  }
}

/** A service the host's module provides but cannot build: its own token is missing. */
@Injectable()
class BrokenAuthService {
  constructor(@Inject('AUTH_OPTIONS') readonly options: unknown) {}
}

@Module({ providers: [BrokenAuthService], exports: [BrokenAuthService] })
class BrokenAuthModule {}

@Injectable()
class BrokenServiceGuard implements CanActivate {
  constructor(@Inject(BrokenAuthService) readonly auth: BrokenAuthService) {}

  canActivate(): boolean {
    return false;
  }
}

describe.each(PLATFORMS)('guard dependencies on %s', (_platform, adapter) => {
  describe.each(REGISTRATIONS)('with FlowModule.%s', (registration) => {
    const start = useApps(adapter);

    it.each([
      ['constructor', BearerJwtGuard],
      ['property', PropertyJwtGuard],
    ])(
      "stops start-up with Nest's own message, naming the guard, JwtService and FlowModule, when a %s dependency is missing",
      async (_kind, Guard) => {
        const error: unknown = await start([
          flowModule(registration, { guards: [{ canActivate: () => true }, Guard] }),
        ]).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(Error);
        const { message } = error as Error;
        expect(message).toContain(Guard.name);
        expect(message).toContain('JwtService');
        expect(message).toContain('FlowModule');
      },
    );

    it("leaves a deeper missing dependency to Nest's own message", async () => {
      const error: unknown = await start([
        flowModule(registration, { guards: [BrokenServiceGuard], imports: [BrokenAuthModule] }),
      ]).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(FlowConfigurationError);
      expect((error as Error).message).toContain('BrokenAuthService');
      expect((error as Error).message).toContain('AUTH_OPTIONS');
    });

    it('starts with a request-scoped guard that injects the request', async () => {
      const url = await start([flowModule(registration, { guards: [RequestScopedGuard] })]);
      expect((await request(url).get(ROUTE)).status).toBe(403);
      expect((await request(url).get(ROUTE).set('x-let-in', 'yes')).status).not.toBe(403);
    });

    it('starts when the imports provide the dependency, building the guard once', async () => {
      countedBuilds = 0;
      const url = await start([
        flowModule(registration, jwtEndpoint({ guards: [CountedJwtGuard] })),
      ]);
      expect(countedBuilds).toBe(1);
      expect((await request(url).get(ROUTE)).status).toBe(401);
      const signed = await request(url).get(ROUTE).set('authorization', bearerFor('user-7'));
      expect(signed.status).toBe(200);
    });
  });
});
