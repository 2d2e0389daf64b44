import 'reflect-metadata';
import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type ModuleMetadata,
} from '@nestjs/common';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createHmac, randomBytes } from 'node:crypto';
import { afterEach } from 'vitest';
import { FlowModule, type FlowModuleAsyncOptions } from '../../lib/index.js';
import { EXAMPLE_SECRET } from '../fixtures/flow-protocol.js';

/** The request a resolver sees behind the test guards: the principal they set. */
export interface SignedInRequest {
  user: { id: string };
}

/** Public identifiers of the live environment, matching the documented example secret. */
export const PUBLISHABLE_KEY = 'live_publishable_key_0123456789abcdef0123456789abcdef';
export const TEMPLATE_ID = 'flwtmp_signatureendpoint01';

/** The HTTP platforms every test runs on. */
export const PLATFORMS = [
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const;

/** The two ways of registering the module; every test runs with both. */
export const REGISTRATIONS = ['forRoot', 'forRootAsync'] as const;

/** One of {@link REGISTRATIONS}. */
export type Registration = (typeof REGISTRATIONS)[number];

/** The expected signature, computed here with node:crypto, never by the code under test. */
export function hmac(reference: string, secret = EXAMPLE_SECRET): string {
  return createHmac('sha256', secret).update(reference, 'utf8').digest('base64');
}

/** Key the test JWTs are signed with: random per run, not shaped like a Flow secret. */
const JWT_SECRET = randomBytes(32).toString('hex');
const tokenIssuer = new JwtService({ secret: JWT_SECRET });

/** A bearer token for `sub`, as the host's login would issue. */
export function bearerFor(sub: string, email?: string): string {
  return `Bearer ${tokenIssuer.sign(email === undefined ? { sub } : { sub, email })}`;
}

/**
 * A host's own bearer guard with an injected dependency (JwtService): it resolves only when
 * `JwtModule` is in `signatureEndpoint.imports`. Sets `request.user` the Passport way.
 */
@Injectable()
export class BearerJwtGuard implements CanActivate {
  constructor(@Inject(JwtService) private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; user?: unknown }>();
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer '))
      throw new UnauthorizedException();
    try {
      const payload = await this.jwt.verifyAsync<{ sub: string; email?: string }>(header.slice(7));
      request.user = { id: payload.sub, email: payload.email };
      return true;
    } catch {
      throw new UnauthorizedException();
    }
  }
}

/** The modules {@link BearerJwtGuard} needs, as a host passes them. */
export const JWT_IMPORTS = [JwtModule.register({ secret: JWT_SECRET })];

/** The signature endpoint block used by most tests: the bearer guard and its imports. */
export function jwtEndpoint(
  extra: Partial<NonNullable<FlowModuleAsyncOptions['signatureEndpoint']>> = {},
): NonNullable<FlowModuleAsyncOptions['signatureEndpoint']> {
  return { guards: [BearerJwtGuard], imports: JWT_IMPORTS, ...extra };
}

/** FlowModule registered the given way, with the example secret and public identifiers. */
export function flowModule(
  registration: Registration,
  signatureEndpoint: FlowModuleAsyncOptions['signatureEndpoint'],
): ReturnType<typeof FlowModule.forRoot> {
  const values = {
    apiSecret: EXAMPLE_SECRET,
    publishableKey: PUBLISHABLE_KEY,
    templateId: TEMPLATE_ID,
  };
  return registration === 'forRoot'
    ? FlowModule.forRoot({ ...values, signatureEndpoint: signatureEndpoint as never })
    : FlowModule.forRootAsync({ useFactory: () => Promise.resolve(values), signatureEndpoint });
}

/** A running app and its base URL (`http://127.0.0.1:<port>`). */
export interface RunningApp {
  app: INestApplication;
  url: string;
}

/** Compiles `imports` into an app on the platform, listening on 127.0.0.1 with a free port. */
export async function startApp(
  adapter: () => ExpressAdapter | FastifyAdapter,
  imports: ModuleMetadata['imports'],
  globalPrefix?: string,
): Promise<RunningApp> {
  const moduleRef = await Test.createTestingModule({ imports }).compile();
  const app = moduleRef.createNestApplication(adapter(), { logger: false });
  if (globalPrefix) app.setGlobalPrefix(globalPrefix);
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/**
 * Starts apps on one platform for the tests of the calling `describe`, and closes every one of
 * them after each test. Returns the base URL of each app started.
 */
export function useApps(
  adapter: () => ExpressAdapter | FastifyAdapter,
): (imports: ModuleMetadata['imports'], globalPrefix?: string) => Promise<string> {
  let running: RunningApp[] = [];
  afterEach(async () => {
    const closing = running;
    running = [];
    await Promise.all(closing.map(({ app }) => app.close()));
  });
  return async (imports, globalPrefix) => {
    const started = await startApp(adapter, imports, globalPrefix);
    running.push(started);
    return started.url;
  };
}
