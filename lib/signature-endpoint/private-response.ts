import { Header, SetMetadata, applyDecorators } from '@nestjs/common';

/** The metadata key of `@CacheKey()` in `@nestjs/cache-manager`, which its `CacheInterceptor` reads. */
const NEST_CACHE_KEY_METADATA = 'cache_module:cache_key';

/** A `@CacheKey()` factory that yields no key: `CacheInterceptor` then neither reads nor stores. */
function noCacheKey(): undefined {
  return undefined;
}

/**
 * Marks a per-user route so that no cache can hand one user's answer to another:
 * `Cache-Control: no-store` for HTTP caches (browsers, proxies, CDNs), and a `@CacheKey()` factory
 * that yields no key, so a global `@nestjs/cache-manager` `CacheInterceptor` skips the route
 * entirely, reading no entry an earlier version may have stored. Pair it with
 * {@link sendPrivately}, which keeps the body out of every interceptor's hands.
 */
export const PrivateFlowResponse = (): MethodDecorator =>
  applyDecorators(
    Header('Cache-Control', 'no-store'),
    SetMetadata(NEST_CACHE_KEY_METADATA, noCacheKey),
  );

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
