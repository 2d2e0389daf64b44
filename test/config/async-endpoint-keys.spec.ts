import 'reflect-metadata';
import {
  Inject,
  Injectable,
  Module,
  SetMetadata,
  VersioningType,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import { createHmac } from 'node:crypto';
import type { AddressInfo, Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowModule, type FlowModuleAsyncOptions } from '../../lib/index.js';
import { fakeAuthGuard } from '../../lib/testing/index.js';
import { EVENT_PLATFORMS } from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';

const SECRET = generateSecret();
const PUBLISHABLE_KEY = 'sandbox_publishable_key_0123456789abcdef0123456789abcdef';
const TEMPLATE_ID = 'flwtmp_asyncendpointkeys01';
const ALLOW = 'async-endpoint-keys:allow';
const GREETING = Symbol('GREETING');
const signedIn = fakeAuthGuard({ id: 'user-1' });

/** A host guard needing a provider only `signatureEndpoint.imports` brings into FlowModule. */
@Injectable()
class NeedsGreetingGuard implements CanActivate {
  constructor(@Inject(GREETING) private readonly greeting: string) {}
  canActivate(context: ExecutionContext): boolean {
    context.switchToHttp().getRequest<{ user?: unknown }>().user = { id: this.greeting };
    return true;
  }
}

@Module({ providers: [{ provide: GREETING, useValue: 'user-greeted' }], exports: [GREETING] })
class GreetingModule {}

/** A host's global guard letting through only classes marked with {@link ALLOW}. */
@Injectable()
class MarkedOnlyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    return this.reflector.get<boolean>(ALLOW, context.getClass()) === true;
  }
}

/** The parts of the route's answer the cases read. */
interface SignatureBody {
  user?: { customerReference?: string; signature?: string };
}

type Endpoint = NonNullable<FlowModuleAsyncOptions['signatureEndpoint']>;
interface Case {
  beside: Endpoint;
  request: { method?: 'GET' | 'POST'; path: string };
  versioned?: boolean;
  markedOnly?: boolean;
  /** What shows the key was used. */
  expect: (status: number, body: SignatureBody) => void;
}

const DEFAULT_PATH = '/users/current/flow_signature';
const ok = (status: number) => expect(status).toBe(200);

// One case per key of the signatureEndpoint block; each fails if forRootAsync drops that key.
const CASES: Record<keyof Endpoint, Case> = {
  guards: {
    beside: { guards: [{ canActivate: () => false }] },
    request: { path: DEFAULT_PATH },
    expect: (status) => expect(status).toBe(403),
  },
  path: {
    beside: { guards: [signedIn], path: 'me/flow' },
    request: { path: '/me/flow' },
    expect: ok,
  },
  customerReference: {
    beside: { guards: [signedIn], customerReference: () => 'async-ref-7' },
    request: { path: DEFAULT_PATH },
    expect: (status, body) => {
      expect(status).toBe(200);
      expect(body.user).toEqual({
        customerReference: 'async-ref-7',
        signature: createHmac('sha256', SECRET).update('async-ref-7').digest('base64'),
      });
    },
  },
  imports: {
    beside: { guards: [NeedsGreetingGuard], imports: [GreetingModule] },
    request: { path: DEFAULT_PATH },
    expect: (status, body) => (
      ok(status),
      expect(body.user?.customerReference).toBe('user-greeted')
    ),
  },
  enabled: {
    beside: { enabled: false },
    request: { path: DEFAULT_PATH },
    expect: (status) => expect(status).toBe(404),
  },
  version: {
    beside: { guards: [signedIn], version: '3' },
    versioned: true,
    request: { path: `/v3${DEFAULT_PATH}` },
    expect: ok,
  },
  decorators: {
    beside: { guards: [signedIn], decorators: [SetMetadata(ALLOW, true)] },
    markedOnly: true,
    request: { path: DEFAULT_PATH },
    expect: ok,
  },
  hostedSessionPath: {
    beside: { guards: [signedIn], hostedSessionPath: 'me/flow_session' },
    request: { method: 'POST', path: '/me/flow_session' },
    // The route exists and calls the API (a closed port here): Cognito unavailable, never 404.
    expect: (status) => expect([502, 503]).toContain(status),
  },
};

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe.each(EVENT_PLATFORMS)(
  'forRootAsync uses each signatureEndpoint key given beside the factory (%s)',
  (_platform, adapter) => {
    it.each(Object.entries(CASES))('%s', async (_key, given) => {
      @Module({
        imports: [
          FlowModule.forRootAsync({
            useFactory: () => ({
              apiSecret: SECRET,
              apiKey: 'sandbox_key_0123456789abcdef0123456789abcdef',
              apiBaseUrl: 'http://127.0.0.1:1',
              api: { maxRetries: 0 },
              publishableKey: PUBLISHABLE_KEY,
              templateId: TEMPLATE_ID,
            }),
            signatureEndpoint: given.beside,
            envFallback: false,
          }),
        ],
        providers: given.markedOnly ? [{ provide: APP_GUARD, useClass: MarkedOnlyGuard }] : [],
      })
      class AppModule {}
      app = await NestFactory.create(AppModule, adapter(), { logger: false });
      if (given.versioned) app.enableVersioning({ type: VersioningType.URI });
      await app.listen(0, '127.0.0.1');
      const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}${given.request.path}`, {
        method: given.request.method ?? 'GET',
        // The hosted-session POST takes JSON, as a client sends it.
        ...(given.request.method === 'POST'
          ? { headers: { 'content-type': 'application/json' }, body: '{}' }
          : {}),
      });
      const text = await response.text();
      given.expect(
        response.status,
        text.startsWith('{') ? (JSON.parse(text) as SignatureBody) : {},
      );
    });
  },
);

describe('forRootAsync refuses a resolver given on both sides', () => {
  it('signatureEndpoint.customerReference beside the factory and from it', async () => {
    @Module({
      imports: [
        FlowModule.forRootAsync({
          useFactory: () => ({
            apiSecret: SECRET,
            publishableKey: PUBLISHABLE_KEY,
            templateId: TEMPLATE_ID,
            signatureEndpoint: { customerReference: () => 'from-factory' },
          }),
          signatureEndpoint: { guards: [signedIn], customerReference: () => 'beside' },
          envFallback: false,
        }),
      ],
    })
    class AppModule {}
    await expect(
      NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false }),
    ).rejects.toThrow(
      'signatureEndpoint.customerReference is given both beside the forRootAsync() factory and by it',
    );
  });
});
