import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Observable, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { runOncePerRequest } from '../../lib/signature-endpoint/once-per-request.js';

/** An HTTP execution context around `request` (what a guard reads of it). */
function http(request: object): ExecutionContext {
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

/** A guard class whose calls are counted and whose answer each call is set by `answer`. */
function countingGuard(answer: () => ReturnType<CanActivate['canActivate']>) {
  class CountingGuard implements CanActivate {
    calls = 0;
    lastType?: string;
    canActivate(context: ExecutionContext): ReturnType<CanActivate['canActivate']> {
      this.calls += 1;
      this.lastType = context.getType();
      return answer();
    }
  }
  return CountingGuard;
}

type Answer = () => ReturnType<CanActivate['canActivate']>;

const PASSES: Array<[string, Answer]> = [
  ['boolean', () => true],
  ['Promise', () => Promise.resolve(true)],
  ['Observable', () => of(false, true)],
];

const REFUSALS: Array<[string, Answer]> = [
  ['false', () => false],
  ['a rejected Promise', () => Promise.reject(new Error('401'))],
  ['an Observable ending in false', () => of(true, false)],
  [
    'an Observable that errors',
    () =>
      new Observable<boolean>((subscriber) => {
        subscriber.error(new Error('401'));
      }),
  ],
];

describe('runOncePerRequest', () => {
  it.each(PASSES)(
    'skips the second instance only after the first let the request through (%s)',
    async (_kind, answer) => {
      const Guard = countingGuard(answer);
      const globalGuard = new Guard();
      const routeGuard = new Guard();
      runOncePerRequest(globalGuard, [Guard]);
      runOncePerRequest(routeGuard, [Guard]);
      const request = {};
      expect(await globalGuard.canActivate(http(request))).toBe(true);
      expect(await routeGuard.canActivate(http(request))).toBe(true);
      expect(globalGuard.calls).toBe(1);
      expect(routeGuard.calls).toBe(0);
      // Another request: the route guard runs again.
      await routeGuard.canActivate(http({}));
      expect(routeGuard.calls).toBe(1);
    },
  );

  it.each(REFUSALS)('never skips after a refusal: %s', async (_kind, answer) => {
    let refuse = true;
    const Guard = countingGuard(() => (refuse ? answer() : false));
    const globalGuard = new Guard();
    const routeGuard = new Guard();
    runOncePerRequest(globalGuard, [Guard]);
    runOncePerRequest(routeGuard, [Guard]);
    const request = {};
    try {
      await globalGuard.canActivate(http(request));
    } catch {
      // The refusal itself: what matters is what the route guard does next.
    }
    refuse = false;
    expect(await routeGuard.canActivate(http(request))).toBe(false);
    expect(routeGuard.calls).toBe(1);
  });

  it('never skips a guard of another class, nor outside HTTP', async () => {
    const Global = countingGuard(() => true);
    const Route = countingGuard(() => false);
    const globalGuard = new Global();
    const routeGuard = new Route();
    runOncePerRequest(globalGuard, [Global]);
    runOncePerRequest(routeGuard, [Route]);
    const request = {};
    await globalGuard.canActivate(http(request));
    expect(await routeGuard.canActivate(http(request))).toBe(false);

    const Same = countingGuard(() => true);
    const first = new Same();
    const second = new Same();
    runOncePerRequest(first, [Same]);
    runOncePerRequest(second, [Same]);
    const rpc = {
      getType: () => 'rpc',
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext;
    await first.canActivate(rpc);
    await second.canActivate(rpc);
    expect(second.calls).toBe(1);
  });

  it('wraps an instance once', () => {
    const Guard = countingGuard(() => true);
    const guard = new Guard();
    expect(runOncePerRequest(guard, [Guard])).toBe(true);
    expect(runOncePerRequest(guard, [Guard])).toBe(false);
    expect(runOncePerRequest(Object.freeze(new Guard()), [Guard])).toBe(false);
  });
});
