import 'reflect-metadata';
import { createHmac } from 'node:crypto';
import type { AddressInfo, Server } from 'node:net';
import {
  Controller,
  forwardRef,
  Get,
  Injectable,
  Module,
  Req,
  UnauthorizedException,
  type CanActivate,
  type DynamicModule,
  type INestApplication,
  type Type,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeAuthGuard, overrideAuthGuard } from '../../lib/testing/index.js';
import { startFlowApiStandIn, type FlowApiStandIn } from '../api/support/flow-api-stand-in.js';
import { generateSecret } from '../support/test-secrets.js';
import {
  HOST_PLATFORMS,
  HOST_SIGNATURE,
  HostJwtAuthGuard,
  startHostApp,
  type HostApp,
  type HostAppOptions,
} from '../host-app/host-app.js';

const USER = { id: 'user-1' };
const API_KEY = 'sandbox_key_0123456789abcdef0123456789abcdef';
const API_SECRET = generateSecret();
const HOSTED_SESSION = '/api/users/current/flow_session';

let api: FlowApiStandIn;
beforeAll(async () => {
  api = await startFlowApiStandIn({ secret: API_SECRET, apiKey: API_KEY });
});
afterAll(() => api.close());

/** GET `path` without any credential. */
async function get(baseUrl: string, path: string) {
  const response = await fetch(`${baseUrl}${path}`);
  return { status: response.status, body: await response.text() };
}

/** The signature the route must serve for `reference`: HMAC-SHA256 of it under the API secret. */
function expectedSignature(secret: string, reference: string): string {
  return createHmac('sha256', secret).update(reference).digest('base64');
}

describe.each(HOST_PLATFORMS)('overrideAuthGuard on the passport host app (%s)', (platform) => {
  let host: HostApp | undefined;
  afterEach(async () => {
    await host?.app.close();
    host = undefined;
  });

  async function start(
    options: Omit<HostAppOptions, 'platform'>,
    testing: (builder: TestingModuleBuilder, appModule: Type) => TestingModuleBuilder,
  ): Promise<HostApp> {
    host = await startHostApp({ platform, ...options, testing });
    return host;
  }

  const withHelper = (builder: TestingModuleBuilder, appModule: Type) =>
    overrideAuthGuard(builder, { guard: HostJwtAuthGuard, user: USER, imports: [appModule] });

  it("global guard (APP_GUARD useClass, guards: 'global'): the signature route signs for the fake user", async () => {
    const { baseUrl, secret } = await start({ globalAuth: 'app_guard' }, withHelper);
    const answer = await get(baseUrl, HOST_SIGNATURE);
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as { user: unknown }).user).toEqual({
      customerReference: 'user-1',
      signature: expectedSignature(secret, 'user-1'),
    });
    // The host's own routes behind the global guard see the same principal.
    expect(await get(baseUrl, '/api/v1/profile/me')).toEqual({
      status: 200,
      body: JSON.stringify(USER),
    });
  });

  it('negative control: the documented overrideGuard alone leaves the global guard real (401)', async () => {
    const { baseUrl } = await start({ globalAuth: 'app_guard' }, (builder) =>
      builder.overrideGuard(HostJwtAuthGuard).useValue(fakeAuthGuard(USER)),
    );
    expect((await get(baseUrl, HOST_SIGNATURE)).status).toBe(401);
  });

  it('global (APP_GUARD useExisting) and listed on the route: one call replaces both', async () => {
    const { baseUrl, secret } = await start(
      { globalAuth: 'app_guard_existing', signatureGuards: 'listed' },
      withHelper,
    );
    const answer = await get(baseUrl, HOST_SIGNATURE);
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as { user: { signature: string } }).user.signature).toBe(
      expectedSignature(secret, 'user-1'),
    );
  });

  it('the hosted-session route, behind the same guards, creates a session for the fake user', async () => {
    const hostedSession = { apiBaseUrl: api.baseUrl, apiKey: API_KEY, secret: API_SECRET };
    const { baseUrl } = await start(
      { globalAuth: 'app_guard_existing', signatureGuards: 'listed', hostedSession },
      withHelper,
    );
    api.requests.length = 0;
    const response = await fetch(`${baseUrl}${HOSTED_SESSION}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    // The stand-in reuses the user's open session across platforms: an id, created or not.
    expect(((await response.json()) as { sessionId: string }).sessionId).toMatch(/^flwses_/);
    expect(api.requests).toHaveLength(1);
    expect(JSON.parse(api.requests[0].body)).toMatchObject({
      user: { customer_reference: 'user-1' },
    });
  });

  it('negative control: without the helper the hosted-session route answers 401 and calls no API', async () => {
    const hostedSession = { apiBaseUrl: api.baseUrl, apiKey: API_KEY, secret: API_SECRET };
    const { baseUrl } = await start(
      { globalAuth: 'app_guard_existing', signatureGuards: 'listed', hostedSession },
      (builder) => builder.overrideGuard(HostJwtAuthGuard).useValue(fakeAuthGuard(USER)),
    );
    api.requests.length = 0;
    expect(
      (
        await fetch(`${baseUrl}${HOSTED_SESSION}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(401);
    expect(api.requests).toHaveLength(0);
  });

  it.each([
    ['overrideGuard', (b: TestingModuleBuilder) => b.overrideGuard(HostJwtAuthGuard)],
    ['overrideProvider', (b: TestingModuleBuilder) => b.overrideProvider(HostJwtAuthGuard)],
  ])(
    'negative control: %s alone cannot replace a guard both global and listed (401)',
    async (_name, override) => {
      const { baseUrl } = await start(
        { globalAuth: 'app_guard_existing', signatureGuards: 'listed' },
        (builder) => override(builder).useValue(fakeAuthGuard(USER)),
      );
      expect((await get(baseUrl, HOST_SIGNATURE)).status).toBe(401);
    },
  );
});

/** A guard that refuses everyone: the test passes only if it is replaced. */
@Injectable()
class RealAuthGuard implements CanActivate {
  canActivate(): boolean {
    throw new UnauthorizedException();
  }
}

@Controller('who')
class WhoController {
  @Get()
  who(@Req() request: { user?: { id: string } }): { id: string | undefined } {
    return { id: request.user?.id };
  }
}

const globalGuard = { provide: APP_GUARD, useClass: RealAuthGuard };

@Module({ providers: [globalGuard] })
class AuthModule {}

@Module({ imports: [AuthModule], controllers: [WhoController] })
class NestedAppModule {}

@Module({ imports: [forwardRef(() => AuthModule)], controllers: [WhoController] })
class ForwardAppModule {}

@Module({})
class DynamicAuthModule {
  static register(): DynamicModule {
    return { module: DynamicAuthModule, providers: [globalGuard] };
  }
}

/** Where the global registration sits: each is found from the module the test imports. */
const LAYOUTS: Array<[string, () => unknown]> = [
  ['in a module the app imports', () => NestedAppModule],
  ['behind forwardRef()', () => ForwardAppModule],
  [
    'in a dynamic module',
    () => ({
      module: class DynamicApp {},
      imports: [DynamicAuthModule.register()],
      controllers: [WhoController],
    }),
  ],
];

describe.each(HOST_PLATFORMS)(
  'overrideAuthGuard finds the APP_GUARD (%s)',
  (_platform, adapter) => {
    let app: INestApplication | undefined;
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    async function who(appModule: unknown, helper: boolean) {
      const builder = Test.createTestingModule({ imports: [appModule as Type] });
      const moduleRef = await (
        helper
          ? overrideAuthGuard(builder, { guard: RealAuthGuard, user: USER, imports: [appModule] })
          : builder
      ).compile();
      app = moduleRef.createNestApplication(adapter(), { logger: false });
      await app.listen(0, '127.0.0.1');
      const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
      const answer = await get(`http://127.0.0.1:${port}`, '/who');
      await app.close();
      app = undefined;
      return answer;
    }

    it.each(LAYOUTS)('%s', async (_layout, appModule) => {
      expect(await who(appModule(), true)).toEqual({ status: 200, body: JSON.stringify(USER) });
      // Negative control: the same app without the helper refuses.
      expect((await who(appModule(), false)).status).toBe(401);
    });

    it('refuses a call without guard or imports, naming what to pass', () => {
      const builder = Test.createTestingModule({});
      expect(() =>
        overrideAuthGuard(builder, { user: USER } as unknown as Parameters<
          typeof overrideAuthGuard
        >[1]),
      ).toThrow(/guard: JwtAuthGuard, user: \{ id: … \}, imports: \[AppModule\]/);
    });
  },
);
