import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { isObservable, lastValueFrom } from 'rxjs';

/**
 * Per HTTP request, the guards (instances, and classes of Nest-built instances) that ALREADY RAN
 * on it and let it through. Weak: an entry lives exactly as long as its request object.
 */
const passed = new WeakMap<object, Set<unknown>>();

const WRAPPED = Symbol('nestjs-cognito-flow:once-per-request');

function httpRequestOf(context: ExecutionContext): object | undefined {
  if (context.getType() !== 'http') return undefined;
  const request: unknown = context.switchToHttp().getRequest();
  return typeof request === 'object' && request !== null ? request : undefined;
}

function recordPass(request: object, keys: readonly unknown[], result: unknown): unknown {
  if (result) {
    const set = passed.get(request) ?? new Set<unknown>();
    for (const key of keys) set.add(key);
    passed.set(request, set);
  }
  return result;
}

/**
 * Makes `guard` run at most once per HTTP request when it sits both in the app's global guards
 * and on the signature route. The decision is never made from configuration: a call is skipped
 * only when a guard with one of the same `keys` already ran on THIS request object and returned
 * true. Nest calls global guards first and stops at the first refusal, so a refusing guard leaves
 * no mark and the route's own copy still runs (and refuses). A guard given as a class is keyed by
 * its exact class (every Nest-built instance of it runs the same code on the same route context);
 * a guard given as an instance only by itself. Calls outside HTTP are never skipped.
 */
export function runOncePerRequest(guard: CanActivate, keys: readonly unknown[]): boolean {
  const target = guard as CanActivate & { [WRAPPED]?: true };
  if (target[WRAPPED] || typeof target.canActivate !== 'function') return false;
  const original = target.canActivate.bind(target);
  const canActivate = (context: ExecutionContext): ReturnType<CanActivate['canActivate']> => {
    const request = httpRequestOf(context);
    if (request !== undefined && keys.some((key) => passed.get(request)?.has(key))) return true;
    const result = original(context);
    if (request === undefined) return result;
    // Nest reads an Observable's last value, as lastValueFrom does here.
    if (isObservable(result))
      return lastValueFrom(result).then((value) => recordPass(request, keys, value) as boolean);
    if (result instanceof Promise)
      return result.then((value) => recordPass(request, keys, value) as boolean);
    return recordPass(request, keys, result) as boolean;
  };
  try {
    Object.defineProperty(target, 'canActivate', {
      value: canActivate,
      configurable: true,
      writable: true,
    });
    Object.defineProperty(target, WRAPPED, { value: true });
  } catch {
    // A frozen guard keeps running twice: slower, never less safe.
    return false;
  }
  return true;
}
