import 'reflect-metadata';
import {
  ForbiddenException,
  Inject,
  Injectable,
  Module,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowConfigurationError } from '../../lib/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { PLATFORMS, REGISTRATIONS, flowModule, hmac } from './signature-test-app.js';

const ROUTE = '/users/current/flow_signature';
const REQUIRED_ROLE = Symbol('REQUIRED_ROLE');

interface RoleRequest {
  headers: Record<string, string | undefined>;
  user?: { id: string; roles: string[] };
}

/** The host's authentication: `x-user: <id>` and `x-roles: a,b` set the principal. */
@Injectable()
class HeaderAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<RoleRequest>();
    const id = req.headers['x-user'];
    if (!id) throw new UnauthorizedException();
    req.user = { id, roles: (req.headers['x-roles'] ?? '').split(',').filter(Boolean) };
    return true;
  }
}

/** The host's role check, one class configured per use: globally `member`, on the route `kyc`. */
@Injectable()
class RoleGuard implements CanActivate {
  constructor(@Inject(REQUIRED_ROLE) private readonly role: string) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<RoleRequest>();
    if (!req.user?.roles.includes(this.role)) throw new ForbiddenException();
    return true;
  }
}

/** A subclass of {@link RoleGuard}: another guard, which an `instanceof` match would confuse. */
@Injectable()
class MemberRoleGuard extends RoleGuard {}

/** A global guard that lets everything through and sets no principal. */
@Injectable()
class OpenGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

@Module({ providers: [{ provide: REQUIRED_ROLE, useValue: 'kyc' }], exports: [REQUIRED_ROLE] })
class KycRoleModule {}

interface Started {
  app: INestApplication;
  url: string;
  logger: CaptureLogger;
}

describe.each(PLATFORMS)('the signature route and global guards on %s', (_platform, adapter) => {
  let running: INestApplication[] = [];
  afterEach(async () => {
    await Promise.all(running.map((app) => app.close()));
    running = [];
  });

  async function start(
    imports: ModuleMetadata['imports'],
    providers: Provider[],
    globalGuards: CanActivate[] = [],
  ): Promise<Started> {
    const moduleRef = await Test.createTestingModule({ imports, providers }).compile();
    const logger = new CaptureLogger();
    const app = moduleRef.createNestApplication(adapter(), { logger });
    running.push(app);
    if (globalGuards.length > 0) app.useGlobalGuards(...globalGuards);
    await app.listen(0, '127.0.0.1');
    return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), logger };
  }

  const listedKyc = () => flowModule('forRoot', { guards: [RoleGuard], imports: [KycRoleModule] });
  const asUser = (url: string, roles: string) =>
    request(url).get(ROUTE).set('x-user', 'user-7').set('x-roles', roles);

  it("a global useGlobalGuards(new RoleGuard('member')) never lets the route skip its own RoleGuard('kyc')", async () => {
    const { url } = await start(
      [listedKyc()],
      [],
      [new HeaderAuthGuard(), new RoleGuard('member')],
    );
    expect((await asUser(url, 'member')).status).toBe(403);
    const kyc = await asUser(url, 'member,kyc');
    expect(kyc.status).toBe(200);
    expect((kyc.body as { user: { signature: string } }).user.signature).toBe(hmac('user-7'));
    // Negative control: the global member check still runs too.
    expect((await asUser(url, 'kyc')).status).toBe(403);
  });

  it("warns naming guards: 'global' when the route lists a class that is also an APP_GUARD", async () => {
    const { url, logger } = await start(
      [listedKyc()],
      [
        { provide: APP_GUARD, useClass: HeaderAuthGuard },
        { provide: REQUIRED_ROLE, useValue: 'member' },
        { provide: APP_GUARD, useClass: RoleGuard },
      ],
    );
    const warnings = logger.find('warn', "guards: 'global'");
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toContain('RoleGuard');
    // Both run: the global one with its role, the route's with its own.
    expect((await asUser(url, 'member')).status).toBe(403);
    expect((await asUser(url, 'kyc')).status).toBe(403);
    expect((await asUser(url, 'member,kyc')).status).toBe(200);
  });

  it('does not warn for a global subclass of a listed guard (classes match by identity)', async () => {
    const { url, logger } = await start(
      [listedKyc()],
      [
        { provide: APP_GUARD, useClass: HeaderAuthGuard },
        { provide: REQUIRED_ROLE, useValue: 'member' },
        { provide: APP_GUARD, useClass: MemberRoleGuard },
      ],
    );
    expect(logger.find('warn', "guards: 'global'")).toEqual([]);
    expect((await asUser(url, 'member')).status).toBe(403);
    expect((await asUser(url, 'member,kyc')).status).toBe(200);
  });

  describe("guards: 'global'", () => {
    it.each(REGISTRATIONS)(
      "relies on the app's APP_GUARD (%s): refused without it, signed for the principal it sets",
      async (registration) => {
        const { url, logger } = await start(
          [flowModule(registration, { guards: 'global' })],
          [{ provide: APP_GUARD, useClass: HeaderAuthGuard }],
        );
        expect((await request(url).get(ROUTE)).status).toBe(401);
        const signed = await asUser(url, '');
        expect(signed.status).toBe(200);
        expect((signed.body as { user: { signature: string } }).user.signature).toBe(
          hmac('user-7'),
        );
        expect(logger.find('warn', "guards: 'global'")).toEqual([]);
      },
    );

    it('answers 401 when the global guards let the request through without a principal', async () => {
      const { url } = await start(
        [flowModule('forRoot', { guards: 'global' })],
        [{ provide: APP_GUARD, useClass: OpenGuard }],
      );
      expect((await request(url).get(ROUTE)).status).toBe(401);
    });

    it.each([
      ['no global guard at all', []],
      ['only app.useGlobalGuards() (not visible at start-up)', [new HeaderAuthGuard()]],
    ])('refuses to start with %s, saying how to fix it', async (_case, globalGuards) => {
      const failure = await start(
        [flowModule('forRoot', { guards: 'global' })],
        [],
        globalGuards,
      ).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(FlowConfigurationError);
      const { code, message } = failure as FlowConfigurationError;
      expect(code).toBe('missing_guard');
      expect(message).toContain('APP_GUARD');
      expect(message).toContain('app.useGlobalGuards()');
      expect(message).toContain('signatureEndpoint: { guards: [JwtAuthGuard] }');
    });
  });
});
