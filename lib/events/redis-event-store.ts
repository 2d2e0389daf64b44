import { Logger } from '@nestjs/common';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { MAX_TIMER_MS, wholeNumberProblem } from '../option-checks/whole-number.js';
import { FlowEventStoreUnavailableError } from './flow-event-store.error.js';
import type { FlowClaimResult, FlowEventStore } from './flow-event-store.interface.js';
import { createOwnedRedisClient, readyOrEnd, timedOut, withTimeout } from './redis-connection.js';
import { REDIS_SCRIPT_SHAS, REDIS_SCRIPTS, type RedisScriptName } from './redis-scripts.js';

/** Options of {@link RedisFlowEventStore}: give either `client` or `url`. */
export interface RedisFlowEventStoreOptions {
  /**
   * An ioredis client (or cluster) the host owns and closes. The store never queues a command
   * while it is not ready, whatever its `enableOfflineQueue` says.
   */
  client?: Redis | Cluster;
  /** A `redis://` or `rediss://` URL: the store creates, configures and closes its own client. */
  url?: string;
  /** Extra ioredis options for the client made from `url` (TLS, username…). */
  redisOptions?: RedisOptions;
  /** Prefix of every key. Default `flow:event:`. */
  keyPrefix?: string;
  /** Longest wait for an answer, connection included, before the store reports unavailable. Default 1500. */
  timeoutMs?: number;
}

/**
 * The store for several instances: ids are claimed and marked done in Redis with Lua scripts,
 * so a claim is atomic and only its owner can renew, complete or release it. When Redis is
 * unreachable every call rejects within `timeoutMs` with {@link FlowEventStoreUnavailableError}
 * (the receiver answers 503). `ioredis` is an optional peer dependency, loaded only from `url`.
 */
export class RedisFlowEventStore implements FlowEventStore {
  private readonly logger = new Logger('RedisFlowEventStore');
  private readonly keyPrefix: string;
  private readonly timeoutMs: number;
  private readonly ownsClient: boolean;
  private clientPromise: Promise<Redis | Cluster> | undefined;
  /** Set by close(): a late call must fail, not open a connection nobody will ever close. */
  private closed = false;
  /** One wait for the connection shared by every call: a burst or an outage adds two listeners, not two per call. */
  private connecting: Promise<void> | undefined;

  constructor(private readonly options: RedisFlowEventStoreOptions) {
    if (!options || (options.client === undefined) === (options.url === undefined)) {
      throw new TypeError(
        'RedisFlowEventStore needs exactly one of `client` (an ioredis instance) or `url` (redis://…).',
      );
    }
    this.keyPrefix = options.keyPrefix ?? 'flow:event:';
    const timeoutProblem = wholeNumberProblem(
      'RedisFlowEventStore timeoutMs',
      options.timeoutMs ?? 1500,
      1,
      MAX_TIMER_MS,
    );
    if (timeoutProblem !== undefined) throw new TypeError(timeoutProblem);
    this.timeoutMs = options.timeoutMs ?? 1500;
    this.ownsClient = options.client === undefined;
    if (options.client) this.clientPromise = Promise.resolve(options.client);
  }

  /** {@inheritDoc FlowEventStore.claim} */
  async claim(id: string, token: string, leaseMs: number): Promise<FlowClaimResult> {
    const [state, ttl] = (await this.run('claim', id, token, leaseMs)) as [string, number];
    if (state === 'claimed') return { state: 'claimed' };
    if (state === 'done') return { state: 'done' };
    // A key without TTL (-1) or one that just expired (-2) is still a claim the caller must wait for.
    return { state: 'busy', retryAfterMs: ttl > 0 ? ttl : leaseMs };
  }

  /** {@inheritDoc FlowEventStore.renew} */
  async renew(id: string, token: string, leaseMs: number): Promise<boolean> {
    return (await this.run('renew', id, token, leaseMs)) === 1;
  }

  /** {@inheritDoc FlowEventStore.complete} */
  async complete(id: string, token: string, doneTtlMs: number): Promise<boolean> {
    return (await this.run('complete', id, token, doneTtlMs)) === 1;
  }

  /** {@inheritDoc FlowEventStore.markDone} */
  async markDone(id: string, doneTtlMs: number): Promise<boolean> {
    return (await this.run('markDone', id, '', doneTtlMs)) === 1;
  }

  /** {@inheritDoc FlowEventStore.release} */
  async release(id: string, token: string): Promise<boolean> {
    return (await this.run('release', id, token, 0)) === 1;
  }

  /** {@inheritDoc FlowEventStore.recordFailure} */
  async recordFailure(id: string, token: string, retainMs: number): Promise<number | null> {
    const count = (await this.run('recordFailure', id, token, retainMs)) as number;
    return count < 0 ? null : count;
  }

  /** A Redis `PING` within `timeoutMs`, connection wait included; rejects with the store error. */
  async ping(): Promise<void> {
    await this.bounded('ping', async () => {
      const client = await this.client();
      await this.whenReady(client);
      return client.ping();
    });
  }

  /** Quits the client the store created from `url`; a client passed in is left to its owner. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.ownsClient || !this.clientPromise) return;
    const client = await this.clientPromise.catch(() => undefined);
    this.clientPromise = undefined;
    if (!client) return;
    await withTimeout(client.quit(), this.timeoutMs, () => timedOut('quit', this.timeoutMs)).catch(
      () => client.disconnect(),
    );
  }

  /** Runs a script on both keys of `id` within the time budget, connection wait included. */
  private async run(
    script: RedisScriptName,
    id: string,
    token: string,
    ms: number,
  ): Promise<unknown> {
    // Hash tags keep both keys of an id in one Redis Cluster slot, as scripts require.
    const keys = [`${this.keyPrefix}{${id}}`, `${this.keyPrefix}{${id}}:failures`];
    const attempt = async (): Promise<unknown> => {
      const client = await this.client();
      await this.whenReady(client);
      try {
        return await client.evalsha(REDIS_SCRIPT_SHAS[script], 2, ...keys, token, ms);
      } catch (error) {
        if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
        return client.eval(REDIS_SCRIPTS[script], 2, ...keys, token, ms);
      }
    };
    return this.bounded(script, attempt);
  }

  /** Runs `work` within the time budget; any failure becomes a store error (503). */
  private async bounded<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(work(), this.timeoutMs, () => timedOut(what, this.timeoutMs));
    } catch (error) {
      if (error instanceof FlowEventStoreUnavailableError) throw error;
      throw new FlowEventStoreUnavailableError(
        'command_failed',
        `Redis ${what} failed: ${(error as Error)?.message ?? String(error)}`,
        { cause: error },
      );
    }
  }

  /** Resolves once the connection is ready, so a command is never queued behind a dead one. */
  private async whenReady(client: Redis | Cluster): Promise<void> {
    if (client.status === 'ready') return;
    if (client.status === 'end') {
      throw new FlowEventStoreUnavailableError(
        'not_connected',
        'The Redis connection was closed (the store was shut down).',
      );
    }
    if (client.status === 'wait') client.connect().catch(() => undefined);
    if (!this.connecting) {
      const connecting = readyOrEnd(client).finally(() => (this.connecting = undefined));
      // Callers that gave up no longer await it: not an unhandled rejection.
      connecting.catch(() => undefined);
      this.connecting = connecting;
    }
    await withTimeout(
      this.connecting,
      this.timeoutMs,
      () =>
        new FlowEventStoreUnavailableError(
          'not_connected',
          `Redis not connected (status ${client.status}) within ${this.timeoutMs} ms.`,
        ),
    );
  }

  private client(): Promise<Redis | Cluster> {
    if (this.closed) {
      return Promise.reject(
        new FlowEventStoreUnavailableError(
          'not_connected',
          'The event store was closed (the application is shutting down).',
        ),
      );
    }
    this.clientPromise ??= createOwnedRedisClient(
      this.options.url as string,
      this.options.redisOptions,
      this.timeoutMs,
      this.logger,
    ).catch((error: unknown) => {
      // ioredis missing: the next call tries again rather than keeping the failure.
      this.clientPromise = undefined;
      throw error;
    });
    return this.clientPromise;
  }
}
