import 'reflect-metadata';
import { Inject, Injectable, type CanActivate } from '@nestjs/common';
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

describe.each(PLATFORMS)('guard dependencies on %s', (_platform, adapter) => {
  describe.each(REGISTRATIONS)('with FlowModule.%s', (registration) => {
    const start = useApps(adapter);

    it.each([
      ['constructor', BearerJwtGuard, /constructor argument 0/],
      ['property', PropertyJwtGuard, /property jwt/],
    ])(
      'refuses to start naming signatureEndpoint.imports when a %s dependency is missing',
      async (_kind, Guard, where) => {
        const error: unknown = await start([
          flowModule(registration, { guards: [{ canActivate: () => true }, Guard] }),
        ]).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(FlowConfigurationError);
        const { code, message } = error as FlowConfigurationError;
        expect(code).toBe('missing_guard_dependency');
        expect(message).toContain(`signatureEndpoint.guards[1] (${Guard.name}) needs JwtService`);
        expect(message).toMatch(where);
        expect(message).toContain('signatureEndpoint.imports');
      },
    );

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
