import 'reflect-metadata';
import type { AddressInfo, Server } from 'node:net';
import {
  Inject,
  Injectable,
  Module,
  UnauthorizedException,
  type CanActivate,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FLOW_OPTIONS } from '../../lib/flow.constants.js';
import {
  FlowConfigurationError,
  FlowModule,
  OnFlowEvent,
  type FlowOptions,
} from '../../lib/index.js';
import { type FlowWebhookEvent } from '../../lib/protocol/index.js';
import { fakeAuthGuard, signFlowWebhook, signFlowWebhookFor } from '../../lib/testing/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { flowEvent, newEventId } from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import { withEnv } from '../support/with-env.js';
import {
  HOST_PLATFORMS,
  HOST_PUBLISHABLE_KEY,
  HOST_TEMPLATE_ID,
  type HostPlatform,
  withoutLength,
} from './host-app.js';

const ENV_KEY = `sandbox_key_${'e'.repeat(32)}`;
const OTHER_KEY = `sandbox_key_${'0'.repeat(32)}`;

/** Creates an app (errors thrown, never process.exit), inits it and listens on loopback. */
async function start(
  platform: HostPlatform,
  module: object,
  options: { logger?: CaptureLogger; prefix?: string } = {},
): Promise<{ app: INestApplication; baseUrl: string }> {
  const adapter = HOST_PLATFORMS.find(([name]) => name === platform)![1]();
  const app = await NestFactory.create<INestApplication>(module, adapter, {
    rawBody: true,
    abortOnError: false,
    logger: options.logger ?? false,
  });
  if (options.prefix) app.setGlobalPrefix(options.prefix);
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}

async function post(baseUrl: string, path: string, headers: Record<string, string>, body: string) {
  const sent = withoutLength(headers);
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: sent, body });
  return response.status;
}

@Injectable()
class StatusSink {
  readonly seen: string[] = [];
  @OnFlowEvent('flow_session.status.updated')
  onStatus(event: FlowWebhookEvent): void {
    this.seen.push(event.id);
  }
}

describe.each(HOST_PLATFORMS)('config sources (%s)', (platform) => {
  const env = { FLOW_API_SECRET: generateSecret(), FLOW_API_KEY: ENV_KEY };

  function module(envFallback: boolean | undefined, secret: string) {
    @Module({
      imports: [
        FlowModule.forRootAsync({
          useFactory: () => ({ apiSecret: secret }),
          envFallback,
          webhook: { path: 'hooks/flow' },
        }),
      ],
    })
    class VaultAppModule {}
    return VaultAppModule;
  }

  it('envFallback: false takes nothing from FLOW_* and logs where each field came from', async () => {
    const secret = generateSecret();
    const logger = new CaptureLogger();
    const { app, baseUrl } = await withEnv(env, () =>
      start(platform, module(false, secret), { logger }),
    );
    try {
      expect(app.get<FlowOptions>(FLOW_OPTIONS).apiKey).toBeUndefined();
      expect(app.get<FlowOptions>(FLOW_OPTIONS).apiSecret).toBe(secret);
      const body = JSON.stringify(flowEvent(newEventId()));
      const headers = signFlowWebhook({ secret, apiKey: OTHER_KEY, path: '/hooks/flow', body });
      expect(await post(baseUrl, '/hooks/flow', headers, body)).toBe(200);
      const sources = logger.find('debug', 'Option sources');
      expect(sources).toHaveLength(1);
      expect(sources[0].message).toContain('envFallback: false');
      expect(sources[0].message).toContain('apiSecret from options');
      expect(sources[0].message).toContain('apiKey unset');
      for (const line of logger.lines) {
        expect(line.message).not.toContain(secret);
        expect(line.message).not.toContain(env.FLOW_API_SECRET);
      }
    } finally {
      await app.close();
    }
  });

  it('negative control: by default the factory values are completed from FLOW_*', async () => {
    const secret = generateSecret();
    const logger = new CaptureLogger();
    const { app, baseUrl } = await withEnv(env, () =>
      start(platform, module(undefined, secret), { logger }),
    );
    try {
      expect(app.get<FlowOptions>(FLOW_OPTIONS).apiKey).toBe(ENV_KEY);
      const body = JSON.stringify(flowEvent(newEventId()));
      const headers = signFlowWebhook({ secret, apiKey: OTHER_KEY, path: '/hooks/flow', body });
      expect(await post(baseUrl, '/hooks/flow', headers, body)).toBe(401);
      expect(logger.find('debug', 'apiKey from FLOW_API_KEY')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('envFallback: false reads no FLOW_* variable at all (default: it does)', async () => {
    const reads = async (envFallback: boolean | undefined): Promise<string[]> => {
      const seen: string[] = [];
      await withEnv(env, async () => {
        const original = process.env;
        process.env = new Proxy(original, {
          get(target, key, receiver) {
            if (typeof key === 'string' && key.startsWith('FLOW_')) seen.push(key);
            return Reflect.get(target, key, receiver) as unknown;
          },
        });
        try {
          const { app } = await start(platform, module(envFallback, env.FLOW_API_SECRET));
          await app.close();
        } finally {
          process.env = original;
        }
      });
      return seen;
    };
    expect(await reads(false)).toEqual([]);
    expect(await reads(undefined)).toContain('FLOW_API_KEY');
  });
});

describe.each(HOST_PLATFORMS)("Nest's dynamic-module conventions (%s)", (platform) => {
  const VAULT = Symbol('VAULT');

  function vaultModule(withExtraProviders: boolean, secret: string) {
    @Module({
      imports: [
        FlowModule.forRootAsync({
          inject: [VAULT],
          useFactory: (vault: { read(name: string): string }) => ({
            apiSecret: vault.read('flow'),
          }),
          extraProviders: withExtraProviders
            ? [{ provide: VAULT, useValue: { read: () => secret } }]
            : undefined,
          envFallback: false,
        }),
      ],
    })
    class ExtraProvidersModule {}
    return ExtraProvidersModule;
  }

  it('extraProviders supply what the factory injects', async () => {
    const secret = generateSecret();
    const { app } = await start(platform, vaultModule(true, secret));
    try {
      expect(app.get<FlowOptions>(FLOW_OPTIONS).apiSecret).toBe(secret);
    } finally {
      await app.close();
    }
  });

  it('negative control: without extraProviders the factory cannot be resolved', async () => {
    await expect(start(platform, vaultModule(false, generateSecret()))).rejects.toThrow();
  });

  it('refuses unknown top-level and block keys with the known ones; accepts every known key', () => {
    const apiSecret = generateSecret();
    const refusal = (make: () => unknown): FlowConfigurationError => {
      try {
        make();
      } catch (error) {
        return error as FlowConfigurationError;
      }
      throw new Error('no refusal');
    };
    const typo = refusal(() =>
      FlowModule.forRoot({ apiSecret, webhok: { path: 'x' } } as unknown as object),
    );
    expect(typo).toBeInstanceOf(FlowConfigurationError);
    expect(typo.message).toContain("'webhok'");
    expect(typo.message).toContain('Known keys: apiSecret, previousApiSecrets');
    const nested = refusal(() =>
      FlowModule.forRoot({ apiSecret, webhook: { maxAtempts: 3 } } as unknown as object),
    );
    expect(nested.message).toContain("'maxAtempts'");
    expect(nested.message).toContain('maxAttempts');
    const asyncTypo = refusal(() =>
      FlowModule.forRootAsync({ useFactory: () => ({}), extraProvider: [] } as unknown as {
        useFactory: () => object;
      }),
    );
    expect(asyncTypo.message).toContain("'extraProvider'");
    for (const error of [typo, nested, asyncTypo]) expect(error.message).not.toContain(apiSecret);

    expect(() =>
      FlowModule.forRoot({
        apiSecret,
        previousApiSecrets: [],
        apiKey: OTHER_KEY,
        previousApiKeys: [],
        publishableKey: HOST_PUBLISHABLE_KEY,
        templateId: HOST_TEMPLATE_ID,
        isGlobal: false,
        envFallback: false,
        signatureEndpoint: { guards: [fakeAuthGuard({ id: 'u' })], enabled: false },
        webhook: { path: 'hooks/flow', maxAttempts: 3, version: '1', decorators: [] },
      }),
    ).not.toThrow();
  });

  it("refuses an unknown key in the factory's values, naming it and not the secret", async () => {
    const apiSecret = generateSecret();
    @Module({
      imports: [
        FlowModule.forRootAsync({
          useFactory: () => ({ apiSecret, apiKeyy: OTHER_KEY }) as { apiSecret: string },
          envFallback: false,
        }),
      ],
    })
    class TypoFactoryModule {}
    const failure = await start(platform, TypoFactoryModule).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toContain("'apiKeyy'");
    expect(failure?.message).not.toContain(apiSecret);
  });
});

describe.each(HOST_PLATFORMS)('two FlowModule registrations (%s)', (platform) => {
  function appModule(firstPath: string, secondPath: string, secret: string) {
    @Module({
      imports: [FlowModule.forRoot({ apiSecret: secret, webhook: { path: secondPath } })],
    })
    class PartnerWebhooksModule {}
    @Module({
      imports: [
        FlowModule.forRoot({ apiSecret: secret, webhook: { path: firstPath } }),
        PartnerWebhooksModule,
      ],
      providers: [StatusSink],
    })
    class TwoRegistrationsAppModule {}
    return TwoRegistrationsAppModule;
  }

  it('refuses the same route twice, naming both registrations', async () => {
    const failure = await start(
      platform,
      appModule('hooks/flow', '/hooks/flow/', generateSecret()),
    ).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(FlowConfigurationError);
    expect(failure?.message).toContain('POST /hooks/flow');
    expect(failure?.message).toContain("FlowModule.forRoot() with webhook.path 'hooks/flow'");
    expect(failure?.message).toContain("FlowModule.forRoot() with webhook.path '/hooks/flow/'");
  });

  it("refuses a hosted-session path that another registration's receiver has", async () => {
    const secret = generateSecret();
    @Module({
      imports: [
        FlowModule.forRoot({
          apiSecret: secret,
          apiKey: ENV_KEY,
          publishableKey: HOST_PUBLISHABLE_KEY,
          templateId: HOST_TEMPLATE_ID,
          signatureEndpoint: {
            guards: [{ canActivate: () => false }],
            hostedSessionPath: 'hooks/flow',
          },
        }),
      ],
    })
    class SessionsModule {}
    @Module({
      imports: [
        FlowModule.forRoot({ apiSecret: secret, webhook: { path: 'hooks/flow' } }),
        SessionsModule,
      ],
    })
    class HostedAndReceiverAppModule {}
    const failure = await start(platform, HostedAndReceiverAppModule).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(FlowConfigurationError);
    expect(failure?.message).toContain('POST /hooks/flow');
    expect(failure?.message).toContain('signatureEndpoint.hostedSessionPath');
  });

  it('negative control: distinct routes start, each registration scans once, and both receive', async () => {
    const secret = generateSecret();
    const logger = new CaptureLogger();
    const { app, baseUrl } = await start(
      platform,
      appModule('hooks/flow', 'hooks/partner', secret),
      {
        logger,
      },
    );
    try {
      // Each registration holds its own handler index (no state shared between registrations).
      expect(logger.find('debug', 'StatusSink.onStatus handles')).toHaveLength(2);
      for (const path of ['/hooks/flow', '/hooks/partner']) {
        const body = JSON.stringify(flowEvent(newEventId()));
        expect(await post(baseUrl, path, signFlowWebhookFor(app, body, { path }), body)).toBe(200);
      }
      expect(app.get(StatusSink).seen).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});

describe.each(HOST_PLATFORMS)('testing helpers (%s)', (platform) => {
  it('signFlowWebhookFor signs with the apiKey the app read from FLOW_API_KEY, under the prefix', async () => {
    const secret = generateSecret();
    @Module({ imports: [FlowModule.forRoot({ webhook: { path: 'webhook_receivers/flow' } })] })
    class EnvAppModule {}
    const { app, baseUrl } = await withEnv({ FLOW_API_SECRET: secret, FLOW_API_KEY: ENV_KEY }, () =>
      start(platform, EnvAppModule, { prefix: 'api' }),
    );
    try {
      const body = JSON.stringify(flowEvent(newEventId()));
      const path = '/api/webhook_receivers/flow';
      expect(await post(baseUrl, path, signFlowWebhookFor(app, body), body)).toBe(200);
      // Negative control: the bare signer without the app's apiKey is refused.
      expect(await post(baseUrl, path, signFlowWebhook({ secret, path, body }), body)).toBe(401);
    } finally {
      await app.close();
    }
  });

  @Injectable()
  class SessionGuard implements CanActivate {
    constructor(@Inject('SESSIONS') private readonly sessions: Set<string>) {}
    canActivate(): boolean {
      if (this.sessions.size === 0) throw new UnauthorizedException();
      return true;
    }
  }

  async function signatureApp(replacement?: CanActivate, strictResolver = false) {
    const secret = generateSecret();
    @Module({
      providers: [{ provide: 'SESSIONS', useValue: new Set<string>() }],
      exports: ['SESSIONS'],
    })
    class SessionModule {}
    const builder = Test.createTestingModule({
      imports: [
        FlowModule.forRoot({
          apiSecret: secret,
          publishableKey: HOST_PUBLISHABLE_KEY,
          templateId: HOST_TEMPLATE_ID,
          envFallback: false,
          signatureEndpoint: {
            guards: [SessionGuard],
            imports: [SessionModule],
            customerReference: strictResolver
              ? (request: { user: { id: string } }) => request.user.id
              : undefined,
          },
        }),
      ],
    });
    if (replacement) builder.overrideGuard(SessionGuard).useValue(replacement);
    const moduleRef = await builder.compile();
    const adapter = HOST_PLATFORMS.find(([name]) => name === platform)![1]();
    const app = moduleRef.createNestApplication(adapter, { logger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/users/current/flow_signature`);
    const answer = { status: response.status, body: await response.text(), secret };
    await app.close();
    return answer;
  }

  it('overrideGuard with fakeAuthGuard signs for the fake user', async () => {
    const answer = await signatureApp(fakeAuthGuard({ id: 'user-1' }), true);
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as { user: unknown }).user).toEqual({
      customerReference: 'user-1',
      signature: createHmac('sha256', answer.secret).update('user-1').digest('base64'),
    });
  });

  it('negative controls: the real guard refuses; a bare `() => true` leaves no principal', async () => {
    expect((await signatureApp()).status).toBe(401);
    expect((await signatureApp({ canActivate: () => true })).status).toBe(401);
    expect((await signatureApp({ canActivate: () => true }, true)).status).toBe(500);
  });
});
