import { createHash } from 'node:crypto';

/**
 * The Lua scripts of {@link RedisFlowEventStore}. Each runs atomically in Redis, which is what
 * makes a claim a single test-and-set and every later step a compare-and-set on the owner token.
 * KEYS[1] holds the state (`claimed:<token>` with the lease as TTL, or `done`); KEYS[2] the
 * failure count.
 */
export const REDIS_SCRIPTS = {
  claim: `
local value = redis.call('GET', KEYS[1])
if not value then
  redis.call('SET', KEYS[1], 'claimed:' .. ARGV[1], 'PX', ARGV[2])
  return {'claimed', 0}
end
if value == 'done' then return {'done', 0} end
return {'busy', redis.call('PTTL', KEYS[1])}`,
  renew: `
if redis.call('GET', KEYS[1]) ~= 'claimed:' .. ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`,
  complete: `
if redis.call('GET', KEYS[1]) ~= 'claimed:' .. ARGV[1] then return 0 end
redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
redis.call('DEL', KEYS[2])
return 1`,
  release: `
if redis.call('GET', KEYS[1]) ~= 'claimed:' .. ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`,
  markDone: `
if redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2], 'NX') then return 1 end
return 0`,
  recordFailure: `
if redis.call('GET', KEYS[1]) ~= 'claimed:' .. ARGV[1] then return -1 end
local count = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return count`,
} as const;

/** Name of a script in {@link REDIS_SCRIPTS}. */
export type RedisScriptName = keyof typeof REDIS_SCRIPTS;

/** SHA-1 of each script, for `EVALSHA` (Redis names cached scripts by it). */
export const REDIS_SCRIPT_SHAS: Readonly<Record<RedisScriptName, string>> = Object.fromEntries(
  Object.entries(REDIS_SCRIPTS).map(([name, body]) => [
    name,
    createHash('sha1').update(body).digest('hex'),
  ]),
) as Record<RedisScriptName, string>;
