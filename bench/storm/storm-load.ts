import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { EXAMPLE_WEBHOOK } from '../../test/fixtures/flow-protocol.js';
import { signForLoad } from '../http/load.js';

/** One delivery of the storm: an event id and its signed request, sent until acknowledged. */
export interface StormDelivery {
  id: string;
  body: string;
  headers: Record<string, string>;
}

/** What the storm's load saw. */
export interface StormOutcome {
  /** From the first request to the last acknowledgement, in seconds. */
  seconds: number;
  /** Latency of every request sent (retries included), in ms, sorted. */
  latenciesMs: number[];
  /** 2xx answers by `outcome` (`processed`, `duplicate`…). */
  outcomes: Record<string, number>;
  /** Non-2xx answers by status, and connection resets (sent again after {@link RETRY_DELAY_MS}). */
  retried: Record<string, number>;
  /** The longest Retry-After the instances asked for, in seconds (0 when none). */
  maxRetryAfter: number;
}

/**
 * When a 409 (another instance holds the event) or 503 is sent again. Cognito retries on its own
 * schedule; honouring a Retry-After of up to the whole lease (30 s) would only measure the wait.
 */
export const RETRY_DELAY_MS = 250;

const TEMPLATE_ID = 'whkevt_11111111111111';

/** A small deterministic generator, so every run sends the same order. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * `unique` deliveries of the documented event with distinct ids (prefixed by `run`, so runs never
 * share an id), plus `duplicates` re-sends of ids picked at random, shuffled: the backlog Cognito
 * retries after an outage. Each is signed now for `path`.
 */
export function stormDeliveries(
  run: string,
  unique: number,
  duplicates: number,
  path: string,
): StormDelivery[] {
  const date = new Date().toUTCString();
  const next = random(0x5eed + unique);
  const ids = Array.from(
    { length: unique },
    (_, i) => `whkevt_${run}${String(i).padStart(14 - run.length, '0')}`,
  );
  const all = [...ids];
  for (let i = 0; i < duplicates; i++) all.push(ids[Math.floor(next() * unique)]);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.map((id) => {
    const body = EXAMPLE_WEBHOOK.body.replace(TEMPLATE_ID, id);
    return { id, body, headers: signForLoad(path, body, date) };
  });
}

function post(
  agent: Agent,
  url: URL,
  path: string,
  delivery: StormDelivery,
): Promise<{ status: number; body: string; retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path,
        headers: { ...delivery.headers, 'content-length': Buffer.byteLength(delivery.body) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            retryAfter: Number(res.headers['retry-after'] ?? 1),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(delivery.body);
  });
}

/**
 * Sends every delivery to the instances in turn (a round-robin load balancer), at most
 * `connections` at a time per instance, as fast as they answer. A 409 or 503 is what Cognito
 * retries: the delivery goes back in the queue after {@link RETRY_DELAY_MS}. Any other non-2xx
 * fails the run.
 */
export async function sendStorm(
  instances: string[],
  path: string,
  deliveries: StormDelivery[],
  connections: number,
): Promise<StormOutcome> {
  const agents = instances.map(() => new Agent({ keepAlive: true, maxSockets: connections }));
  const urls = instances.map((instance) => new URL(instance));
  const queue = deliveries.map((delivery, index) => ({ delivery, instance: index }));
  let head = 0;
  const latenciesMs: number[] = [];
  const outcomes: Record<string, number> = {};
  const retried: Record<string, number> = {};
  let waiting = 0;
  let maxRetryAfter = 0;
  let failure: Error | undefined;
  const start = performance.now();
  let lastAck = start;
  const worker = async (): Promise<void> => {
    for (;;) {
      const item = head < queue.length ? queue[head++] : undefined;
      if (item === undefined) {
        // Deliveries waiting out a Retry-After come back to the queue: wait for them.
        if (waiting === 0 || failure) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      const target = item.instance % instances.length;
      const sent = performance.now();
      let answer: { status: number; body: string; retryAfter: number };
      try {
        answer = await post(agents[target], urls[target], path, item.delivery);
      } catch (error) {
        // A keep-alive socket the server closed as it was reused: the delivery may or may not
        // have been processed, and is sent again as Cognito would (the store makes that safe).
        if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
        answer = { status: 0, body: '', retryAfter: 0 };
      }
      latenciesMs.push(performance.now() - sent);
      if (answer.status >= 200 && answer.status < 300) {
        const outcome = (JSON.parse(answer.body) as { outcome?: string }).outcome ?? '?';
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        lastAck = performance.now();
      } else if (answer.status === 409 || answer.status === 503 || answer.status === 0) {
        const key = answer.status === 0 ? 'connection reset' : String(answer.status);
        retried[key] = (retried[key] ?? 0) + 1;
        if (answer.retryAfter > maxRetryAfter) maxRetryAfter = answer.retryAfter;
        waiting++;
        // The retry may land on the other instance, as it would behind a load balancer.
        setTimeout(() => {
          waiting--;
          queue.push({ delivery: item.delivery, instance: item.instance + 1 });
        }, RETRY_DELAY_MS);
      } else {
        failure = new Error(
          `storm: ${path} answered ${answer.status} ${answer.body.slice(0, 200)}`,
        );
        return;
      }
    }
  };
  try {
    await Promise.all(
      Array.from({ length: connections * instances.length }, () =>
        worker().catch((error: unknown) => {
          failure ??= error as Error;
        }),
      ),
    );
  } finally {
    for (const agent of agents) agent.destroy();
  }
  if (failure) throw failure;
  return {
    seconds: (lastAck - start) / 1000,
    latenciesMs: latenciesMs.sort((a, b) => a - b),
    outcomes,
    retried,
    maxRetryAfter,
  };
}

/** The `p`-th percentile (0–100) of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
