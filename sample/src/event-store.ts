import { RedisFlowEventStore, type FlowEventStore } from '../../lib/index.js';

/**
 * The webhook event store: Redis when `REDIS_URL` is set, so several instances process each event
 * once between them; otherwise undefined, and FlowModule uses its bounded in-memory store.
 * FlowModule closes the store when the app shuts down.
 */
export function createEventStore(redisUrl: string | undefined): FlowEventStore | undefined {
  return redisUrl === undefined ? undefined : new RedisFlowEventStore({ url: redisUrl });
}
