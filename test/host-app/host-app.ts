import 'reflect-metadata';
import type { AddressInfo, Server } from 'node:net';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  Req,
  Scope,
  SetMetadata,
  VersioningType,
  type ExecutionContext,
  type INestApplication,
  type LoggerService,
  type Type,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, NestFactory, REQUEST, Reflector } from '@nestjs/core';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { SkipThrottle, ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import Joi from 'joi';
import { randomBytes } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { FlowModule, OnFlowEvent } from '../../lib/index.js';
import type { FlowWebhookEvent } from '../../lib/index.js';
import type { FlowRouteVersion } from '../../lib/routing/route-shape.js';
import type { FlowCustomerReferenceResolver } from '../../lib/signature-endpoint/signature-endpoint-options.js';
import { withEnv } from '../support/with-env.js';
import { generateSecret } from '../support/test-secrets.js';
import { HostExceptionFilter } from './host-exception-filter.js';

/** The HTTP platforms the host app runs on. */
export const HOST_PLATFORMS = [
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const;

/** One of {@link HOST_PLATFORMS}'s names. */
export type HostPlatform = (typeof HOST_PLATFORMS)[number][0];

/** Public identifiers of the sandbox environment the host's config holds. */
export const HOST_PUBLISHABLE_KEY = 'sandbox_publishable_key_0123456789abcdef0123456789abcdef';
export const HOST_TEMPLATE_ID = 'flwtmp_hostapp000000001';
/** The receiver path the host configured in Cognito (under the global prefix). */
export const HOST_RECEIVER = '/api/webhook_receivers/flow';
/** The signature route under the global prefix. */
export const HOST_SIGNATURE = '/api/users/current/flow_signature';
/** How many requests per minute the host's global throttler allows each client. */
export const HOST_THROTTLE_LIMIT = 3;

/** Metadata key of the host's own `@Public()` (the pattern of Nest's auth docs). */
export const IS_PUBLIC_KEY = 'host:isPublic';
/** The host's `@Public()`: its global auth guard lets such routes through. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/** What the host app's parts saw, read by the tests. */
@Injectable()
export class HostRecorder {
  /** Calls of the JWT strategy's validate(): one per real authentication. */
  validations = 0;
  /** Singleton handler: ids of the status events it got. */
  readonly statusEvents: string[] = [];
  /** Request-scoped handler: one entry per call. */
  readonly auditCalls: Array<{ eventId: string; instance: number; sawRequest: string | null }> = [];
  /** Durable handler: one entry per call. */
  readonly durableCalls: Array<{ eventId: string; instance: number }> = [];
  /** Set to make resolving the next request-scoped handler fail once. */
  failNextResolution = false;
  /** Instances of the request-scoped context built so far. */
  contexts = 0;
}

/** The host's passport-jwt strategy: counts every validation. */
@Injectable()
export class HostJwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    config: ConfigService,
    @Inject(HostRecorder) private readonly recorder: HostRecorder,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.getOrThrow<string>('JWT_SECRET'),
    });
  }

  validate(payload: { sub: string }): { id: string } {
    this.recorder.validations += 1;
    return { id: payload.sub };
  }
}

/** The host's global auth guard: passport-jwt, skipped on `@Public()` routes. */
@Injectable()
export class HostJwtAuthGuard extends AuthGuard('jwt') {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    return super.canActivate(context);
  }
}

/** The host's auth module: passport, the strategy, the guard. */
@Module({
  imports: [PassportModule],
  providers: [HostJwtStrategy, HostJwtAuthGuard],
  exports: [HostJwtAuthGuard],
})
export class HostAuthModule {}

/** A per-request context, as hosts inject for logging: request-scoped by `REQUEST`. */
@Injectable({ scope: Scope.REQUEST })
export class RequestContext {
  readonly instance: number;
  constructor(
    @Inject(REQUEST) readonly request: { headers?: Record<string, unknown> } | undefined,
    @Inject(HostRecorder) recorder: HostRecorder,
  ) {
    if (recorder.failNextResolution) {
      recorder.failNextResolution = false;
      throw new Error('request context unavailable');
    }
    recorder.contexts += 1;
    this.instance = recorder.contexts;
  }
}

/** Request-scoped because it injects {@link RequestContext}: the only handler of `retried`. */
@Injectable()
export class AuditHandler {
  constructor(
    private readonly context: RequestContext,
    @Inject(HostRecorder) private readonly recorder: HostRecorder,
  ) {}

  @OnFlowEvent('flow_session.retried')
  onRetried(event: FlowWebhookEvent): void {
    const version = this.context.request?.headers?.['cognito-version'];
    this.recorder.auditCalls.push({
      eventId: event.id,
      instance: this.context.instance,
      sawRequest: typeof version === 'string' ? version : null,
    });
  }
}

let durableInstances = 0;

/** A durable request-scoped provider: the only handler of `step.updated`. */
@Injectable({ scope: Scope.REQUEST, durable: true })
export class DurableStepHandler {
  private readonly instance = ++durableInstances;
  constructor(@Inject(HostRecorder) private readonly recorder: HostRecorder) {}

  @OnFlowEvent('flow_session.step.updated')
  onStep(event: FlowWebhookEvent): void {
    this.recorder.durableCalls.push({ eventId: event.id, instance: this.instance });
  }
}

/** A singleton handler. */
@Injectable()
export class KycStatusHandler {
  constructor(@Inject(HostRecorder) private readonly recorder: HostRecorder) {}

  @OnFlowEvent('flow_session.status.updated')
  onStatus(event: FlowWebhookEvent): void {
    this.recorder.statusEvents.push(event.id);
  }
}

/** The host's own routes: one versioned and throttled, one public. */
@Controller('profile')
export class ProfileController {
  @Get()
  @Public()
  profile(): { ok: true } {
    return { ok: true };
  }

  @Get('me')
  me(@Req() request: { user?: { id: string } }): { id: string | undefined } {
    return { id: request.user?.id };
  }
}

/** What varies between the host apps the tests build. */
export interface HostAppOptions {
  platform: HostPlatform;
  /**
   * How the host makes its JWT guard global. Default `app_guard` (`useClass`); `app_guard_existing`
   * is `{ provide: APP_GUARD, useExisting: HostJwtAuthGuard }`.
   */
  globalAuth?: 'app_guard' | 'app_guard_existing' | 'use_global_guards' | 'after_init';
  /**
   * signatureEndpoint.guards: `'global'` (the global JWT guard alone) or `'listed'` (the JWT guard
   * on the route too). Default `'global'` when the guard is an APP_GUARD, else `'listed'`.
   */
  signatureGuards?: 'global' | 'listed';
  /** Marks the signature route `@Public()`, so the global JWT guard lets it through. */
  publicSignatureRoute?: boolean;
  /** signatureEndpoint.version. */
  signatureVersion?: FlowRouteVersion;
  /** Signature resolver; default `request.user.id`. */
  customerReference?: FlowCustomerReferenceResolver;
  /** Extra environment while the app is built (ConfigModule reads it then). */
  env?: Record<string, string | undefined>;
  logger?: LoggerService | false;
  /** webhook.decorators: `'public'` (default: `[Public(), SkipThrottle()]`), `'empty'` (`[]`) or `'none'` (unset). */
  webhookDecorators?: 'public' | 'empty' | 'none';
  /** Adds the host's global exception filter ({@link HostExceptionFilter}) as an APP_FILTER. */
  globalFilter?: boolean;
  /** Enables the hosted-session route (`users/current/flow_session`) against this Flow API. */
  hostedSession?: { apiBaseUrl: string; apiKey: string; secret: string };
  /** Builds the app through Nest's testing builder, with these overrides applied to it. */
  testing?: (builder: TestingModuleBuilder, appModule: Type) => TestingModuleBuilder;
}

const WEBHOOK_DECORATORS = {
  public: () => [Public(), SkipThrottle()],
  empty: () => [],
  none: () => undefined,
} as const;

/** A started host app, its secrets and its recorder. */
export interface HostApp {
  app: INestApplication;
  baseUrl: string;
  secret: string;
  recorder: HostRecorder;
  /** A bearer token for `sub`, as the host's login issues. */
  bearer(sub: string): string;
}

/**
 * Builds the production-shaped host: Joi-validated ConfigModule holding the Flow values under the
 * host's own names, FlowModule.forRootAsync reading them with `envFallback: false`, passport-jwt
 * as a global guard with `@Public()`, a global ThrottlerGuard, global prefix `api`, URI versioning
 * with default version 1, and a feature module whose handlers include request-scoped ones.
 */
export async function startHostApp(options: HostAppOptions): Promise<HostApp> {
  const secret = options.hostedSession?.secret ?? generateSecret();
  const jwtSecret = randomBytes(32).toString('hex');
  const globalAuth = options.globalAuth ?? 'app_guard';
  const signatureGuards =
    options.signatureGuards ?? (globalAuth.startsWith('app_guard') ? 'global' : 'listed');
  const recorder = new HostRecorder();

  @Module({ providers: [{ provide: HostRecorder, useValue: recorder }], exports: [HostRecorder] })
  class RecorderModule {}

  @Module({
    imports: [RecorderModule],
    providers: [KycStatusHandler, AuditHandler, RequestContext, DurableStepHandler],
  })
  class KycModule {}

  const build = () => {
    @Module({
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validationSchema: Joi.object({
            KYC_API_SECRET: Joi.string().min(32).required(),
            KYC_PUBLISHABLE_KEY: Joi.string().required(),
            KYC_TEMPLATE_ID: Joi.string().required(),
            JWT_SECRET: Joi.string().min(32).required(),
          }),
        }),
        { module: RecorderModule, global: true },
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: HOST_THROTTLE_LIMIT }]),
        HostAuthModule,
        JwtModule.register({ secret: jwtSecret }),
        FlowModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          envFallback: false,
          useFactory: (config: ConfigService) => ({
            apiSecret: config.getOrThrow<string>('KYC_API_SECRET'),
            publishableKey: config.getOrThrow<string>('KYC_PUBLISHABLE_KEY'),
            templateId: config.getOrThrow<string>('KYC_TEMPLATE_ID'),
            signatureEndpoint:
              options.customerReference === undefined
                ? undefined
                : { customerReference: options.customerReference },
            ...(options.hostedSession === undefined
              ? {}
              : {
                  apiKey: options.hostedSession.apiKey,
                  apiBaseUrl: options.hostedSession.apiBaseUrl,
                }),
          }),
          signatureEndpoint: {
            guards: signatureGuards === 'global' ? 'global' : [HostJwtAuthGuard],
            imports: [HostAuthModule],
            version: options.signatureVersion,
            ...(options.hostedSession === undefined
              ? {}
              : { hostedSessionPath: 'users/current/flow_session' }),
            decorators: options.publicSignatureRoute
              ? [SkipThrottle(), Public()]
              : [SkipThrottle()],
          },
          webhook: {
            path: 'webhook_receivers/flow',
            decorators: WEBHOOK_DECORATORS[options.webhookDecorators ?? 'public'](),
          },
        }),
        KycModule,
      ],
      controllers: [ProfileController],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        ...(globalAuth === 'app_guard' ? [{ provide: APP_GUARD, useClass: HostJwtAuthGuard }] : []),
        ...(globalAuth === 'app_guard_existing'
          ? [{ provide: APP_GUARD, useExisting: HostJwtAuthGuard }]
          : []),
        ...(options.globalFilter ? [{ provide: APP_FILTER, useClass: HostExceptionFilter }] : []),
      ],
    })
    class AppModule {}
    return AppModule;
  };

  const adapter = HOST_PLATFORMS.find(([name]) => name === options.platform)![1]();
  // The environment exists only while the app is built, as the host's deployment provides it.
  const app = await withEnv(
    {
      KYC_API_SECRET: secret,
      KYC_PUBLISHABLE_KEY: HOST_PUBLISHABLE_KEY,
      KYC_TEMPLATE_ID: HOST_TEMPLATE_ID,
      JWT_SECRET: jwtSecret,
      ...options.env,
    },
    async () => {
      const appOptions = { rawBody: true, logger: options.logger ?? false } as const;
      if (options.testing === undefined) {
        return NestFactory.create<INestApplication>(build(), adapter, appOptions);
      }
      const appModule = build();
      const builder = options.testing(
        Test.createTestingModule({ imports: [appModule] }),
        appModule,
      );
      const moduleRef = await builder.compile();
      return moduleRef.createNestApplication<INestApplication>(adapter, appOptions);
    },
  );
  app.setGlobalPrefix('api');
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  const globalGuard = () => new HostJwtAuthGuard(app.get(Reflector));
  if (globalAuth === 'use_global_guards') app.useGlobalGuards(globalGuard());
  await app.init();
  // Too late for routes built at init: Nest never runs it on them.
  if (globalAuth === 'after_init') app.useGlobalGuards(globalGuard());
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const issuer = new JwtService({ secret: jwtSecret });
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    secret,
    recorder,
    bearer: (sub) => `Bearer ${issuer.sign({ sub })}`,
  };
}

/** The signed headers minus `content-length`, which fetch sets itself from the body. */
export function withoutLength(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
  );
}
