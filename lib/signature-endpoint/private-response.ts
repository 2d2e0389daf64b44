import { createRequire } from 'node:module';
import { Header, applyDecorators } from '@nestjs/common';

/** `@CacheKey()` of `@nestjs/cache-manager`: a key, or a factory whose `undefined` means "no key". */
type CacheKeyDecorator = (key: () => undefined) => MethodDecorator;

/**
 * `@nestjs/cache-manager`'s public `CacheKey` decorator, when the app has that optional peer
 * (only then can its `CacheInterceptor` be there to skip); undefined otherwise.
 */
function cacheManagerCacheKey(): CacheKeyDecorator | undefined {
  let loaded: { CacheKey?: unknown };
  try {
    loaded = createRequire(import.meta.url)('@nestjs/cache-manager') as { CacheKey?: unknown };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND') return undefined;
    // A runtime without require(esm) (Jest's ES module mode before Node 24.9) cannot load the
    // ES module peer synchronously: the route keeps `no-store` and the private send without it.
    if (code === 'ERR_REQUIRE_ESM') return undefined;
    throw error;
  }
  return typeof loaded.CacheKey === 'function' ? (loaded.CacheKey as CacheKeyDecorator) : undefined;
}

/**
 * Marks a per-user route so that no cache can hand one user's answer to another:
 * `Cache-Control: no-store` for HTTP caches (browsers, proxies, CDNs), and, when the app has
 * `@nestjs/cache-manager`, its `@CacheKey()` with a factory that yields no key, so a global
 * `CacheInterceptor` skips the route entirely, reading no entry an earlier version may have
 * stored. Pair it with {@link sendPrivately}, which keeps the body out of every interceptor's hands.
 */
export const PrivateFlowResponse = (): MethodDecorator => {
  const cacheKey = cacheManagerCacheKey();
  return cacheKey === undefined
    ? Header('Cache-Control', 'no-store')
    : applyDecorators(
        Header('Cache-Control', 'no-store'),
        cacheKey(() => undefined),
      );
};

/** The platform response as `@Res()` gives it: Express `Response` or Fastify `FastifyReply`. */
interface PlatformResponse {
  json?: (body: unknown) => unknown;
  send: (body: unknown) => unknown;
}

/**
 * Sends a per-user answer through the platform response itself (the handler takes `@Res()`), so
 * the handler returns nothing and no interceptor keyed on the URL (Nest's `CacheInterceptor`, or a
 * host's own) ever receives the body to store. Errors still go through Nest's exception filters.
 */
export async function sendPrivately(response: unknown, body: Promise<unknown>): Promise<void> {
  const value = await body;
  const platform = response as PlatformResponse;
  // Express has res.json (serialises like Nest does); Fastify's reply.send serialises objects.
  if (typeof platform.json === 'function') platform.json(value);
  else platform.send(value);
}
