import { performance } from 'node:perf_hooks';
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { createHash, createHmac, createSecretKey } from 'node:crypto';
import { FLOW_WEBHOOK_API_VERSION, signFlowWebhook } from '../../lib/testing/index.js';
import { EXAMPLE_WEBHOOK } from '../../test/fixtures/flow-protocol.js';
import { BENCH_KEY_ID, BENCH_SECRET } from '../support/deliveries.js';
import type { HttpPlan } from '../plan.js';
import { BENCH_BEARER } from './bench-apps.js';

/** One side of a pair: where the load goes and what it sends. */
export interface LoadTarget {
  /** Base URL of the server. */
  url: string;
  /** The server's process, to read how busy it was; omitted for servers of the parent process. */
  server?: { ask<T>(request: { type: 'cpu' }): Promise<T> };
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

/** The measured and the warm-up size of each side's load, from the plan. */
export function loadSizes(plan: HttpPlan): { size: LoadSize; warmup: LoadSize } {
  return {
    size: {
      connections: plan.connections,
      seconds: plan.secondsPerSide,
      requests: plan.requestsPerSide,
    },
    warmup: {
      connections: plan.connections,
      seconds: plan.warmupSeconds,
      requests: plan.warmupRequests,
    },
  };
}

/** A GET of the signature route (or its bare twin) as the logged-in benchmark user. */
export function signatureRequest(path: string): AutocannonRequest {
  return { method: 'GET', path, headers: { authorization: BENCH_BEARER } };
}

// Event ids stay unique across every load of the run, so the receiver never takes the duplicate path.
let nextEventId = 0;
const TEMPLATE_ID = 'whkevt_11111111111111';
const [BODY_HEAD, BODY_TAIL] = EXAMPLE_WEBHOOK.body.split(TEMPLATE_ID);
// The load generator shares the machine with the server: its signing is kept lean (key prepared
// once, one-shot hash) so the figures measure the server, and checked against signFlowWebhook.
const CLIENT_KEY = createSecretKey(createHash('sha256').update(BENCH_SECRET).digest());

/** The headers Cognito sends with `body` posted to `path` at `date`, signed the lean way. */
export function signForLoad(path: string, body: string, date: string): Record<string, string> {
  const digest = `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
  const signature = createHmac('sha256', CLIENT_KEY)
    .update(`(request-target): post ${path}\ndate: ${date}\ndigest: ${digest}`)
    .digest('base64');
  return {
    date,
    digest,
    authorization: `Signature keyId="${BENCH_KEY_ID}",algorithm="hmac-sha256",headers="(request-target) date digest",signature="${signature}"`,
    'content-type': 'application/json',
    accept: 'application/json',
    'cognito-version': FLOW_WEBHOOK_API_VERSION,
  };
}

/**
 * A POST of a freshly signed Flow delivery: the documented 340-byte event with a new 14-digit
 * id (same length) each time, dated now, signed for `path`. The bare route gets the same bytes.
 */
export function webhookRequest(path: string): AutocannonRequest {
  const date = new Date().toUTCString();
  const reference: Record<string, string> = signFlowWebhook({
    secret: BENCH_SECRET,
    apiKey: BENCH_KEY_ID,
    path,
    body: EXAMPLE_WEBHOOK.body,
    date,
  });
  // autocannon sets the length of each body itself.
  delete reference['content-length'];
  if (JSON.stringify(reference) !== JSON.stringify(signForLoad(path, EXAMPLE_WEBHOOK.body, date))) {
    throw new Error('the load generator does not sign as signFlowWebhook does');
  }
  let second = -1;
  let now = '';
  return {
    method: 'POST',
    path,
    setupRequest(request) {
      const body = `${BODY_HEAD}whkevt_${String(nextEventId++).padStart(14, '0')}${BODY_TAIL}`;
      const seconds = Math.floor(Date.now() / 1000);
      if (seconds !== second) {
        second = seconds;
        now = new Date(seconds * 1000).toUTCString();
      }
      return { ...request, body, headers: signForLoad(path, body, now) };
    },
  };
}

/** Event ids sent so far (to check the receiver processed them). */
export function eventIdsSent(): number {
  return nextEventId;
}

/** One autocannon run with its wall time; refuses errors or non-2xx answers (the figure would be meaningless). */
export async function runLoad(
  target: LoadTarget,
  size: LoadSize,
): Promise<AutocannonResult & { seconds: number }> {
  const start = performance.now();
  const result = await autocannon({
    url: target.url,
    connections: size.connections,
    pipelining: 1,
    // A run lasts at least one sampling tick: short fixed-count runs (quick mode) tick fast.
    ...(size.requests !== undefined
      ? { amount: size.requests, sampleInt: 50 }
      : { duration: size.seconds }),
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
  /** Share of one core the server used during the rounds (1 = fully busy: the figure measures it). */
  serverBusy: number;
  /** Share of one core the load generator used (near 1: it, not the server, set the pace). */
  clientBusy: number;
  /** Server CPU time (user + system) per request over all rounds, in µs. */
  cpuPerRequest: number;
  /** Server CPU time per request of each round, in µs (NaN without a server process). */
  perRoundCpu: number[];
  /** Of it, user time (the process's own code) per request of each round, in µs. */
  perRoundUser: number[];
  /** Of it, system time (the kernel: socket reads and writes) per request of each round, in µs. */
  perRoundSystem: number[];
}

/** The server process's CPU time so far, in µs. */
interface ServerCpu {
  user: number;
  system: number;
}

async function serverMicros(target: LoadTarget): Promise<ServerCpu> {
  return target.server
    ? await target.server.ask<ServerCpu>({ type: 'cpu' })
    : { user: Number.NaN, system: Number.NaN };
}

/**
 * Measures several targets in turns: each round runs every target once, the order reversed every
 * other round, after a warm-up of each. All of them see the same machine state over the run.
 */
export async function rotate(
  targets: LoadTarget[],
  rounds: number,
  size: LoadSize,
  warmup: LoadSize,
): Promise<SideThroughput[]> {
  for (const target of targets) await runLoad(target, warmup);
  const sides: SideThroughput[] = targets.map(() => ({
    requests: 0,
    seconds: 0,
    rps: 0,
    perRound: [],
    serverBusy: 0,
    clientBusy: 0,
    cpuPerRequest: 0,
    perRoundCpu: [],
    perRoundUser: [],
    perRoundSystem: [],
  }));
  const cpu = targets.map(() => ({ server: 0, client: 0 }));
  const forward = targets.map((_, index) => index);
  for (let round = 0; round < rounds; round++) {
    for (const index of round % 2 === 0 ? forward : [...forward].reverse()) {
      const target = targets[index];
      const serverBefore = await serverMicros(target);
      const clientBefore = process.cpuUsage();
      const result = await runLoad(target, size);
      const client = process.cpuUsage(clientBefore);
      cpu[index].client += client.user + client.system;
      const serverAfter = await serverMicros(target);
      const user = serverAfter.user - serverBefore.user;
      const system = serverAfter.system - serverBefore.system;
      const server = user + system;
      cpu[index].server += server;
      const side = sides[index];
      side.perRoundCpu.push(server / result['2xx']);
      side.perRoundUser.push(user / result['2xx']);
      side.perRoundSystem.push(system / result['2xx']);
      side.requests += result['2xx'];
      side.seconds += result.seconds;
      side.perRound.push(result['2xx'] / result.seconds);
    }
  }
  sides.forEach((side, index) => {
    side.rps = side.requests / side.seconds;
    side.serverBusy = cpu[index].server / 1e6 / side.seconds;
    side.clientBusy = cpu[index].client / 1e6 / side.seconds;
    side.cpuPerRequest = cpu[index].server / side.requests;
  });
  return sides;
}

/** {@link rotate} for a pair: round 1 baseline then subject, round 2 subject then baseline… */
export async function alternate(
  baseline: LoadTarget,
  subject: LoadTarget,
  rounds: number,
  size: LoadSize,
  warmup: LoadSize,
): Promise<{ baseline: SideThroughput; subject: SideThroughput }> {
  const [baselineSide, subjectSide] = await rotate([baseline, subject], rounds, size, warmup);
  return { baseline: baselineSide, subject: subjectSide };
}
