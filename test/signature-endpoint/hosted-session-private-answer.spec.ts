import 'reflect-metadata';
import {
  Controller,
  Injectable,
  Module,
  Post,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { of, tap, type Observable } from 'rxjs';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { PLATFORMS, bearerFor, useApps } from './signature-test-app.js';
import { ROUTE, useHostedSessionApi } from './hosted-session-test-app.js';

const { api, flowModule } = useHostedSessionApi();

/** Every value a host interceptor saw leave a handler, as a body-logging interceptor records it. */
const logged: unknown[] = [];
let echoed = 0;

/** A host POST route the cache and the logger are meant for: proves both are live. */
@Controller()
class HostEchoController {
  @Post('public/echo')
  echo(): { echoed: number } {
    echoed += 1;
    return { echoed };
  }
}

/** A host's hand-written cache keyed on the URL alone: it caches every method, POST included. */
@Injectable()
class UrlKeyedAnyMethodCache implements NestInterceptor {
  private readonly entries = new Map<string, unknown>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const key = context.switchToHttp().getRequest<{ url: string }>().url;
    if (this.entries.has(key)) return of(this.entries.get(key));
    return next.handle().pipe(
      tap((value) => {
        if (value !== undefined) this.entries.set(key, value);
      }),
    );
  }
}

/** A host's body logger: records every response body a handler hands back. */
@Injectable()
class BodyLogger implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(tap((body) => void logged.push(body)));
  }
}

/** The host module with the stand-in's URL (known only once it listens). */
function hostModule() {
  @Module({
    imports: [flowModule()],
    controllers: [HostEchoController],
    providers: [
      { provide: APP_INTERCEPTOR, useClass: BodyLogger },
      { provide: APP_INTERCEPTOR, useClass: UrlKeyedAnyMethodCache },
    ],
  })
  class CachedHostModule {}
  return CachedHostModule;
}

interface HostedAnswer {
  sessionId: string;
  shareableUrl: string;
  created: boolean;
}

describe.each(PLATFORMS)(
  'hosted-session answer under host interceptors on %s',
  (_platform, adapter) => {
    const start = useApps(adapter);
    beforeEach(() => {
      api().requests.length = 0;
      logged.length = 0;
    });

    it('the URL-keyed POST cache and the body logger are live on a host route', async () => {
      const url = await start([hostModule()]);
      const first = await request(url).post('/public/echo');
      const second = await request(url).post('/public/echo');
      expect(second.body).toEqual(first.body);
      expect(logged).toContainEqual(first.body);
    });

    it('two users each get their own session; the cache and the logger never see an answer', async () => {
      const url = await start([hostModule()]);
      const post = (user: string) =>
        request(url)
          .post(ROUTE)
          .set('Authorization', bearerFor(user))
          .set('Content-Type', 'application/json')
          .send('{}');
      const alice = `alice-private-${_platform}`;
      const bob = `bob-private-${_platform}`;
      const answers: Array<[string, HostedAnswer]> = [];
      for (const user of [alice, bob, alice, bob]) {
        const res = await post(user);
        expect(res.status).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
        answers.push([user, res.body as HostedAnswer]);
      }
      // Each answer is a session the stand-in created for that very user.
      for (const [user, answer] of answers) {
        expect(api().sessions.get(answer.sessionId)?.customer_reference).toBe(user);
        expect(answer.shareableUrl).toBe(`https://flow.cognitohq.com/verify/${answer.sessionId}`);
      }
      expect(answers[0][1].sessionId).not.toBe(answers[1][1].sessionId);
      expect(answers.map(([, answer]) => answer.created)).toEqual([true, true, false, false]);
      // Every answer came from Cognito's API, none from the cache.
      expect(api().requests).toHaveLength(4);
      // The body logger ran on the route, but never received a body.
      expect(logged.length).toBeGreaterThanOrEqual(4);
      expect(JSON.stringify(logged)).not.toContain('flwses_');
      expect(JSON.stringify(logged)).not.toContain('shareable');
    });
  },
);
