import { performance } from 'node:perf_hooks';
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { signFlowWebhook } from '../../lib/testing/index.js';
import { EXAMPLE_WEBHOOK } from '../../test/fixtures/flow-protocol.js';
import { BENCH_KEY_ID, BENCH_SECRET } from '../support/deliveries.js';
import { BENCH_BEARER } from './bench-apps.js';

/** One side of a pair: where the load goes and what it sends. */
export interface LoadTarget {
  /** Base URL of the server. */
  url: string;
  /** The request (a template; `setupRequest` makes each one unique). */
  request: AutocannonRequest;
}

/** How long or how much one measurement lasts. */
export interface LoadSize {
  connections: number;
  /** Seconds, when `requests` is not set. */
  seconds: number;
  /** A fixed number of requests instead of a duration. */
  requests?: number;
}

/** A GET of the signature route (or its bare twin) as the logged-in benchmark user. */
export function signatureRequest(path: string): AutocannonRequest {
  return { method: 'GET', path, headers: { authorization: BENCH_BEARER } };
}

// Event ids stay unique across every load of the run, so the receiver never takes the duplicate path.
let nextEventId = 0;
const TEMPLATE_ID = 'whkevt_11111111111111';

/**
 * A POST of a freshly signed Flow delivery: the documented 340-byte event with a new 14-digit
 * id (same length) each time, dated now, signed for `path`. The bare route gets the same bytes.
 */
export function webhookRequest(path: string): AutocannonRequest {
  let second = -1;
  let date = '';
  return {
    method: 'POST',
    path,
    setupRequest(request) {
      const id = `whkevt_${String(nextEventId++).padStart(14, '0')}`;
      const body = EXAMPLE_WEBHOOK.body.replace(TEMPLATE_ID, id);
      const now = Math.floor(Date.now() / 1000);
      if (now !== second) {
        second = now;
        date = new Date(now * 1000).toUTCString();
      }
      const { 'content-length': _length, ...headers } = signFlowWebhook({ secret: BENCH_SECRET, apiKey: BENCH_KEY_ID, path, body, date });
      return { ...request, body, headers };
    },
  };
}

/** Event ids sent so far (to check the receiver processed them). */
export function eventIdsSent(): number {
  return nextEventId;
}

/** One autocannon run with its wall time; refuses errors or non-2xx answers (the figure would be meaningless). */
export async function runLoad(target: LoadTarget, size: LoadSize): Promise<AutocannonResult & { seconds: number }> {
  const start = performance.now();
  const result = await autocannon({
    url: target.url,
    connections: size.connections,
    pipelining: 1,
    ...(size.requests !== undefined ? { amount: size.requests } : { duration: size.seconds }),
    timeout: 10,
    requests: [target.request],
  });
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(
      `load on ${target.url}${target.request.path}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  // autocannon rounds its own duration to whole seconds on short runs: time it here.
  return { ...result, seconds: (performance.now() - start) / 1000 };
}

/** Requests per second of one side of a pair over all its rounds. */
export interface SideThroughput {
  requests: number;
  seconds: number;
  rps: number;
  /** Requests per second of each round. */
  perRound: number[];
}

/**
 * Measures a pair alternately: round 1 baseline then subject, round 2 subject then baseline, and
 * so on, after a warm-up of each. Both sides see the same machine state over the run.
 */
export async function alternate(
  baseline: LoadTarget,
  subject: LoadTarget,
  rounds: number,
  size: LoadSize,
  warmup: LoadSize,
): Promise<{ baseline: SideThroughput; subject: SideThroughput }> {
  await runLoad(baseline, warmup);
  await runLoad(subject, warmup);
  const sides = { baseline: { requests: 0, seconds: 0, rps: 0, perRound: [] as number[] }, subject: { requests: 0, seconds: 0, rps: 0, perRound: [] as number[] } };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['baseline', 'subject'] as const) : (['subject', 'baseline'] as const);
    for (const side of order) {
      const result = await runLoad(side === 'baseline' ? baseline : subject, size);
      const requests = result['2xx'];
      sides[side].requests += requests;
      sides[side].seconds += result.seconds;
      sides[side].perRound.push(requests / result.seconds);
    }
  }
  for (const side of Object.values(sides)) side.rps = side.requests / side.seconds;
  return sides;
}
