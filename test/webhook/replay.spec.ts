import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MemoryFlowEventStore,
  RedisFlowEventStore,
  type FlowClaimResult,
  type FlowEventStore,
  type FlowModuleOptions,
} from '../../lib/index.js';
import {
  WEBHOOK_PLATFORMS,
  received,
  startWebhookApp,
  type WebhookApp,
} from '../support/flow-webhook-app.js';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { redisUrl } from '../support/redis-url.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const PATH = '/webhook_receivers/flow';

/** A store whose backend is down: every call rejects, as Redis does during an outage. */
class DownStore implements FlowEventStore {
  claim(): Promise<FlowClaimResult> {
    return Promise.reject(new Error('connection refused'));
  }
  renew(): Promise<boolean> {
    return Promise.reject(new Error('connection refused'));
  }
  complete(): Promise<boolean> {
    return Promise.reject(new Error('connection refused'));
  }
  release(): Promise<boolean> {
    return Promise.reject(new Error('connection refused'));
  }
  recordFailure(): Promise<number | null> {
    return Promise.reject(new Error('connection refused'));
  }
}

/** A host's own store written before markDone existed: claim and complete only, each call counted. */
class ClaimOnlyStore implements FlowEventStore {
  readonly calls: string[] = [];
  readonly #inner = new MemoryFlowEventStore();
  claim(id: string, token: string, leaseMs: number): Promise<FlowClaimResult> {
    this.calls.push('claim');
    return this.#inner.claim(id, token, leaseMs);
  }
  renew(id: string, token: string, leaseMs: number): Promise<boolean> {
    return this.#inner.renew(id, token, leaseMs);
  }
  complete(id: string, token: string, doneTtlMs: number): Promise<boolean> {
    this.calls.push('complete');
    return this.#inner.complete(id, token, doneTtlMs);
  }
  release(id: string, token: string): Promise<boolean> {
    return this.#inner.release(id, token);
  }
  recordFailure(id: string, token: string, retainMs: number): Promise<number | null> {
    return this.#inner.recordFailure(id, token, retainMs);
  }
}

/** One signed delivery, kept so it can be sent again byte for byte. */
function capture(id: string, date = new Date()) {
  const body = flowEventBody({ id });
  return { body, headers: testHeaders({ secret, body, url: PATH, date }) };
}

async function send(host: WebhookApp, delivery: ReturnType<typeof capture>): Promise<number> {
  const response = await fetch(`${host.baseUrl}${PATH}`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  return response.status;
}

describe.each(WEBHOOK_PLATFORMS.map(([name]) => name))(
  'a guard-only host route on %s',
  (platform) => {
    const hosts: WebhookApp[] = [];
    const start = async (flow: FlowModuleOptions = { apiSecret: secret }) => {
      const host = await startWebhookApp(platform, flow);
      hosts.push(host);
      return host;
    };
    beforeEach(() => {
      received.length = 0;
    });
    afterEach(async () => {
      await Promise.all(hosts.splice(0).map((host) => host.app.close()));
    });

    it('runs its handler once for a delivery replayed within the Date window (409 to the replay)', async () => {
      const host = await start();
      const delivery = capture('whkevt_replayed');
      expect(await send(host, delivery)).toBe(200);
      expect(await send(host, delivery)).toBe(409);
      expect(await send(host, delivery)).toBe(409);
      expect(received.map((r) => r.event.id)).toEqual(['whkevt_replayed']);
      const warnings = host.logger.lines.filter((line) => line.text.includes('replayed_delivery'));
      expect(warnings).toHaveLength(1);
    });

    it('remembers an accepted delivery for twice the Date window, by the store clock', async () => {
      // The store's clock moves; the verifier's does not, so the Date stays within tolerance for
      // it: as when a delivery dated at the far edge of the window is replayed from the other edge.
      const toleranceMs = 60_000;
      let clock = 1_000_000;
      const store = new MemoryFlowEventStore({ now: () => clock });
      const host = await start({
        apiSecret: secret,
        webhook: { store, toleranceSeconds: toleranceMs / 1000 },
      });
      const delivery = capture('whkevt_replay_window');
      expect(await send(host, delivery)).toBe(200);
      const acceptedAt = clock;
      clock = acceptedAt + 1.5 * toleranceMs;
      expect(await send(host, delivery)).toBe(409);
      clock = acceptedAt + 2 * toleranceMs - 1;
      expect(await send(host, delivery)).toBe(409);
      expect(received).toHaveLength(1);
      // Past twice the window the Date could not verify any more, so the memory of it may go.
      clock = acceptedAt + 2 * toleranceMs;
      expect(await send(host, delivery)).toBe(200);
      expect(received).toHaveLength(2);
    });

    it("still takes Cognito's retry of the same event, which is signed anew", async () => {
      const host = await start();
      expect(await send(host, capture('whkevt_retried', new Date(Date.now() - 5000)))).toBe(200);
      expect(await send(host, capture('whkevt_retried'))).toBe(200);
      expect(received).toHaveLength(2);
    });

    it('refuses the replay on another instance sharing the Redis store', async () => {
      const keyPrefix = `test:${randomUUID()}:`;
      const storeOf = () => new RedisFlowEventStore({ url: redisUrl(), keyPrefix });
      const first = await start({ apiSecret: secret, webhook: { store: storeOf() } });
      const second = await start({ apiSecret: secret, webhook: { store: storeOf() } });
      const delivery = capture('whkevt_two_instances');
      expect(await send(first, delivery)).toBe(200);
      expect(await send(second, delivery)).toBe(409);
      expect(received).toHaveLength(1);
    });

    it('refuses the replay on a host store without markDone, through claim then complete', async () => {
      const store = new ClaimOnlyStore();
      const host = await start({ apiSecret: secret, webhook: { store } });
      const delivery = capture('whkevt_claim_only_store');
      expect(await send(host, delivery)).toBe(200);
      expect(await send(host, delivery)).toBe(409);
      expect(received).toHaveLength(1);
      expect(store.calls).toEqual(['claim', 'complete', 'claim']);
    });

    it('answers 503 when markDone rejects (the store is down), and runs nothing', async () => {
      const store = Object.assign(new DownStore(), {
        markDone: () => Promise.reject(new Error('connection refused')),
      });
      const host = await start({ apiSecret: secret, webhook: { store } });
      expect(await send(host, capture('whkevt_mark_down'))).toBe(503);
      expect(received).toEqual([]);
    });

    it('answers 503 when the store cannot rule out a replay, and runs nothing', async () => {
      const host = await start({ apiSecret: secret, webhook: { store: new DownStore() } });
      expect(await send(host, capture('whkevt_store_down'))).toBe(503);
      expect(received).toEqual([]);
      expect(host.logger.lines.some((line) => line.text.includes('answered 503'))).toBe(true);
    });
  },
);
