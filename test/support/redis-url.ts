import { inject } from 'vitest';

/** URL of the suite's Redis, started by test/setup/redis-global-setup.ts (never absent: no skip). */
export function redisUrl(): string {
  const url = inject('flowRedisUrl') ?? process.env.FLOW_TEST_REDIS_URL;
  if (!url)
    throw new Error(
      'No Redis URL: run the tests through vitest.config.ts, whose global setup starts redis-server.',
    );
  return url;
}
