import 'reflect-metadata';
import { CACHE_MANAGER, CacheInterceptor, CacheModule } from '@nestjs/cache-manager';
import {
  Controller,
  Get,
  Injectable,
  Module,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Cache } from 'cache-manager';
import { of, tap, type Observable } from 'rxjs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  PLATFORMS,
  bearerFor,
  flowModule,
  hmac,
  jwtEndpoint,
  startApp,
} from './signature-test-app.js';

const ROUTE = '/users/current/flow_signature';

let served = 0;

/** A host GET route the cache is meant for: proves the interceptor under test really caches. */
@Controller()
class HostPublicController {
  @Get('public/served')
  served(): { served: number } {
    served += 1;
    return { served };
  }
}

/** A host's own cache, keyed on method and URL only, as hand-written ones often are. */
@Injectable()
class UrlKeyedCacheInterceptor implements NestInterceptor {
  private readonly entries = new Map<string, unknown>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<{ method: string; url: string }>();
    const key = `${req.method} ${req.url}`;
    if (this.entries.has(key)) return of(this.entries.get(key));
    return next.handle().pipe(
      tap((value) => {
        if (value !== undefined) this.entries.set(key, value);
      }),
    );
  }
}

function hostModule(interceptor: Type<NestInterceptor>): Type {
  @Module({
    imports: [CacheModule.register({ ttl: 60_000 }), flowModule('forRoot', jwtEndpoint())],
    controllers: [HostPublicController],
    providers: [{ provide: APP_INTERCEPTOR, useClass: interceptor }],
  })
  class HostModule {}
  return HostModule;
}

const INTERCEPTORS = [
  ['@nestjs/cache-manager CacheInterceptor', CacheInterceptor],
  ['a URL-keyed interceptor of the host', UrlKeyedCacheInterceptor],
] as const;

describe.each(PLATFORMS)('signature route behind a global cache on %s', (_platform, adapter) => {
  describe.each(INTERCEPTORS)('with %s', (_label, interceptor) => {
    it('caches the host route, so the cache is live', async () => {
      const { app, url } = await startApp(adapter, [hostModule(interceptor)]);
      try {
        const first = await request(url).get('/public/served');
        const second = await request(url).get('/public/served');
        expect(second.body).toEqual(first.body);
      } finally {
        await app.close();
      }
    });

    it('alice then bob then alice: each gets their own signature, never a cached one', async () => {
      const { app, url } = await startApp(adapter, [hostModule(interceptor)]);
      try {
        for (const user of ['alice', 'bob', 'alice', 'bob']) {
          const res = await request(url).get(ROUTE).set('Authorization', bearerFor(user));
          expect(res.status).toBe(200);
          expect((res.body as { user: unknown }).user).toStrictEqual({
            customerReference: user,
            signature: hmac(user),
          });
          expect(res.headers['cache-control']).toBe('no-store');
          expect(res.headers['x-cache']).not.toBe('HIT');
        }
      } finally {
        await app.close();
      }
    });
  });

  it("never serves an entry already in Nest's cache under the route's URL", async () => {
    const { app, url } = await startApp(adapter, [hostModule(CacheInterceptor)]);
    try {
      // What a cache filled by an unprotected route would hold: alice's answer, keyed by URL.
      const cache = app.get<Cache>(CACHE_MANAGER);
      const alice = { customerReference: 'alice', signature: hmac('alice') };
      await cache.set(ROUTE, { publishableKey: 'x', templateId: 'y', user: alice });
      expect(await cache.get(ROUTE)).toBeDefined();
      const res = await request(url).get(ROUTE).set('Authorization', bearerFor('bob'));
      expect(res.status).toBe(200);
      expect((res.body as { user: unknown }).user).toStrictEqual({
        customerReference: 'bob',
        signature: hmac('bob'),
      });
      expect(res.headers['x-cache']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
