import type { TestProject } from 'vitest/node';
import { RedisServer } from '../support/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the Redis the suite shares (read it with `redisUrl()` from test/support/redis-url.ts). */
    flowRedisUrl: string;
  }
}

/**
 * Starts one real redis-server for the whole suite, unless FLOW_TEST_REDIS_URL already names
 * one, and hands its URL to the test files (`inject('flowRedisUrl')`, and FLOW_TEST_REDIS_URL
 * for child processes). A missing redis-server fails the run with how to install it.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const given = process.env.FLOW_TEST_REDIS_URL;
  if (given) {
    project.provide('flowRedisUrl', given);
    return;
  }
  const server = await RedisServer.start();
  process.env.FLOW_TEST_REDIS_URL = server.url;
  project.provide('flowRedisUrl', server.url);
  return async () => {
    await server.dispose();
  };
}
