import type { Logger } from '@nestjs/common';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { FlowEventStoreUnavailableError } from './flow-event-store.error.js';

/**
 * Loads ioredis (an optional peer, so only when a store is made from a URL) and connects a client
 * the store owns: no offline queue and a short reconnect cycle, with one log line per outage.
 * @throws FlowEventStoreUnavailableError `not_connected` when ioredis is not installed.
 */
export async function createOwnedRedisClient(
  url: string,
  redisOptions: RedisOptions | undefined,
  timeoutMs: number,
  logger: Pick<Logger, 'warn' | 'log'>,
): Promise<Redis> {
  let RedisClass: typeof Redis;
  try {
    ({ Redis: RedisClass } = await import('ioredis'));
  } catch (error) {
    throw new FlowEventStoreUnavailableError(
      'not_connected',
      'RedisFlowEventStore needs the ioredis package: npm install ioredis',
      { cause: error },
    );
  }
  const client = new RedisClass(url, {
    // No offline queue and a short reconnect cycle: during an outage calls fail fast (503)
    // instead of piling up, and processing resumes within a second of Redis coming back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
    ...redisOptions,
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(
      `Redis unreachable, webhook deliveries answer 503 until it is back: ${error.message}`,
    );
  });
  client.on('ready', () => {
    if (down) logger.log('Redis reachable again.');
    down = false;
  });
  return client;
}

/** Settles on the client's next `ready` (resolves) or `end` (rejects), removing both listeners. */
export function readyOrEnd(client: Redis | Cluster): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onReady = (): void => {
      client.off('end', onEnd);
      resolve();
    };
    const onEnd = (): void => {
      client.off('ready', onReady);
      reject(new FlowEventStoreUnavailableError('not_connected', 'The Redis connection ended.'));
    };
    client.once('ready', onReady);
    client.once('end', onEnd);
  });
}

/** The store error of a command that got no answer in time. */
export function timedOut(what: string, ms: number): FlowEventStoreUnavailableError {
  return new FlowEventStoreUnavailableError(
    'timeout',
    `Redis ${what} got no answer within ${ms} ms.`,
  );
}

/** Rejects with `onTimeout()` when `promise` has not settled within `ms`. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
