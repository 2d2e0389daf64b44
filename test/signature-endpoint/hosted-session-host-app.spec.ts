import 'reflect-metadata';
import { CacheInterceptor, CacheModule } from '@nestjs/cache-manager';
import {
  Injectable,
  Module,
  Controller,
  Get,
  SetMetadata,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, NestFactory, Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { randomBytes } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FlowModule } from '../../lib/index.js';
import { startFlowApiStandIn, type FlowApiStandIn } from '../api/support/flow-api-stand-in.js';
import { generateSecret } from '../support/test-secrets.js';
import { PLATFORMS } from './signature-test-app.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
const JWT_SECRET = randomBytes(32).toString('hex');
const tokens = new JwtService({ secret: JWT_SECRET });
const IS_PUBLIC = 'isPublic';
/** The host's opt-out of its global guard. */
const Public = () => SetMetadata(IS_PUBLIC, true);

/** A public route of the host, reachable without a token through the same global guard. */
@Controller('health')
class HealthController {
  @Get()
  @Public()
  health(): { ok: boolean } {
    return { ok: true };
  }
}
let api: FlowApiStandIn;

@Injectable()
class JwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: JWT_SECRET,
      algorithms: ['HS256'],
    });
  }
  validate(payload: { sub: string }): { id: string } {
    return { id: payload.sub };
  }
}

/** The host's global guard: passport-jwt everywhere except on `@Public()` routes. */
@Injectable()
class HostJwtGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }
  override canActivate(context: ExecutionContext) {
    const open = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    return open === true ? true : super.canActivate(context);
  }
}

async function startHostApp(adapter: (typeof PLATFORMS)[number][1]): Promise<INestApplication> {
  @Module({
    imports: [
      PassportModule,
      ThrottlerModule.forRoot([{ ttl: 60_000, limit: 3 }]),
      CacheModule.register(),
      FlowModule.forRoot({
        apiSecret: secret,
        apiKey,
        apiBaseUrl: api.baseUrl,
        publishableKey: 'sandbox_publishable_key_0123456789abcdef0123456789abcdef',
        templateId: 'flwtmp_hostapp0001',
        signatureEndpoint: {
          guards: [HostJwtGuard],
          hostedSessionPath: 'users/current/flow_session',
        },
      }),
    ],
    controllers: [HealthController],
    providers: [
      JwtStrategy,
      { provide: APP_GUARD, useClass: HostJwtGuard },
      { provide: APP_GUARD, useClass: ThrottlerGuard },
      { provide: APP_INTERCEPTOR, useClass: CacheInterceptor },
    ],
  })
  class HostModule {}
  const app = await NestFactory.create(HostModule, adapter(), { logger: false });
  app.setGlobalPrefix('api');
  await app.listen(0, '127.0.0.1');
  return app;
}

beforeAll(async () => {
  api = await startFlowApiStandIn({ secret, apiKey });
});
afterAll(() => api.close());

describe.each(PLATFORMS)(
  'hosted-session route in a production-shaped host on %s',
  (name, adapter) => {
    let app: INestApplication;
    let url: string;
    beforeEach(async () => {
      api.requests.length = 0;
      app = await startHostApp(adapter);
      url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    });
    afterEach(() => app.close());

    const post = (token?: string) =>
      fetch(`${url}/api/users/current/flow_session`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: '{}',
      });

    it('answers under the prefix behind passport-jwt, never from a cache, and is throttled', async () => {
      const token = tokens.sign({ sub: `host-user-${name}` });
      expect((await post()).status).toBe(401);
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
      const first = (await (await post(token)).json()) as { sessionId: string; created: boolean };
      const second = (await (await post(token)).json()) as { sessionId: string; created: boolean };
      expect(first.created).toBe(true);
      expect(second).toEqual({ ...first, created: false });
      // Each answer came from Cognito (two calls), none from the host's cache interceptor.
      expect(api.requests).toHaveLength(2);
      expect(JSON.parse(api.requests[0].body)).toMatchObject({
        user: { customer_reference: `host-user-${name}` },
      });
      // The host's throttler (3 per minute, counted after the auth guard) covers the route too.
      expect((await post(token)).status).toBe(200);
      expect((await post(token)).status).toBe(429);
      expect(api.requests).toHaveLength(3);
    });
  },
);
