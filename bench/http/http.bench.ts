import type { HttpPlan } from '../plan.js';
import { notMeasured, ratioFigure, type Figure } from '../support/figures.js';
import { BENCH_ROUTES } from './bench-apps.js';
import {
  alternate,
  loadSizes,
  rotate,
  signatureRequest,
  webhookRequest,
  type LoadTarget,
} from './load.js';
import { profileMissedFigures, type ProfileSubject } from '../profile/profile-missed.js';
import { startBenchRedis } from './redis-server.js';
import { withServers, type BenchServer } from './servers.js';
import type { CalibrationAnswer, ServerSpec } from './server-spec.js';
import { accountingTable, addedMicros, cpuTable, type CpuRow } from './cpu-table.js';

const PLATFORMS = [
  ['express', 'Express'],
  ['fastify', 'Fastify'],
] as const;

/** Allowances of the CPU budgets, from the issue: route ≤ bare + allowance, per request. */
export const CPU_BUDGETS = {
  /** FlowWebhookGuard: 1.3 × one in-process verification of the same delivery. */
  guardVerifications: 1.3,
  /** The receiver on the memory store: the guard's allowance plus this many µs. */
  receiverExtraMicros: 5,
  /** The signature endpoint: 1.5 × one `FlowSigner.sign`. */
  signatureSigns: 1.5,
} as const;

/** Checks the receiver ran the handler once per delivery it acknowledged. */
async function assertProcessed(
  server: BenchServer,
  acknowledged: number,
  verified: number,
  label: string,
): Promise<void> {
  const stats = await server.ask<{ received: number; verified: number }>({ type: 'stats' });
  if (stats.received < acknowledged || stats.verified < verified) {
    throw new Error(
      `${label}: ${acknowledged} deliveries acknowledged, ${stats.received} reached the handler; ` +
        `${verified} verified deliveries acknowledged, ${stats.verified} reached the bare handler`,
    );
  }
}

/** What `--cpu-prof` runs when an HTTP figure is missed: `method path` on a server of `spec`. */
function httpProfile(
  name: string,
  spec: ServerSpec,
  method: 'GET' | 'POST',
  path: string,
): { name: string; subject: ProfileSubject } {
  return { name, subject: { kind: 'http', spec, method, path } };
}

/** The calibration of a server, before and after its rounds, averaged. */
async function calibrated<T>(
  server: BenchServer,
  measure: () => Promise<T>,
): Promise<{ result: T; calibration: CalibrationAnswer }> {
  const before = await server.ask<CalibrationAnswer>({ type: 'calibrate' });
  const result = await measure();
  const after = await server.ask<CalibrationAnswer>({ type: 'calibrate' });
  return {
    result,
    calibration: {
      verifyMicros: (before.verifyMicros + after.verifyMicros) / 2,
      verifyL2Micros: (before.verifyL2Micros + after.verifyL2Micros) / 2,
      verifyColdMicros: (before.verifyColdMicros + after.verifyColdMicros) / 2,
      signMicros: (before.signMicros + after.signMicros) / 2,
      signL2Micros: (before.signL2Micros + after.signL2Micros) / 2,
      signColdMicros: (before.signColdMicros + after.signColdMicros) / 2,
      dispatchMicros: (before.dispatchMicros + after.dispatchMicros) / 2,
    },
  };
}

function budgetFigure(
  section: string,
  subject: string,
  allowance: string,
  added: number,
  allowed: number,
  profile: { name: string; subject: ProfileSubject },
): Figure {
  return ratioFigure(
    {
      section,
      subject: `server CPU per request added by ${subject}`,
      baseline: `allowance: ${allowance}`,
      unit: 'µs',
      target: { kind: 'max', value: 1 },
      profile,
    },
    added,
    allowed,
  );
}

/**
 * Figure 3, on Express and on Fastify, each group alternated in rounds, with the server's CPU
 * time per request beside every req/s: the signature endpoint against a bare guarded GET of the
 * same response size; the built-in receiver (memory store), the bare POST behind
 * FlowWebhookGuard and behind a no-op guard, against a bare POST with the same body parsing; the
 * receiver on Redis against it on memory. The CPU budgets of the issue are judged on the median
 * per-round difference from the bare route.
 */
export async function benchHttp(
  plan: HttpPlan,
  notes: string[],
  details: Array<{ section: string; markdown: string }>,
): Promise<Figure[]> {
  const { size, warmup } = loadSizes(plan);
  const figures: Figure[] = [];
  const redis = await startBenchRedis();
  try {
    for (const [platform, label] of PLATFORMS) {
      const section = `HTTP, ${label}`;
      const rows: CpuRow[] = [];
      let accounting = '';
      const specs: ServerSpec[] = [
        { app: 'signature', platform },
        { app: 'receiver', platform },
      ];
      if (!('unavailable' in redis))
        specs.push({ app: 'receiver', platform, store: 'redis', redisUrl: redis.url });
      // Started together (an idle server costs nothing but memory), measured one group at a time.
      await withServers(specs, async ([signature, memory, onRedis]) => {
        const get = (path: string): LoadTarget => ({
          url: signature.url,
          server: signature,
          request: signatureRequest(path),
        });
        const signatureRun = await calibrated(signature, () =>
          rotate(
            [
              get(BENCH_ROUTES.bareSignature),
              get(BENCH_ROUTES.bareSignatureAsync),
              get(BENCH_ROUTES.signature),
            ],
            plan.rounds,
            size,
            warmup,
          ),
        );
        const [bareGet, bareAsync, endpoint] = signatureRun.result;
        const { signMicros, signColdMicros } = signatureRun.calibration;
        rows.push(
          { route: 'bare GET (baseline)', side: bareGet },
          { route: 'bare GET, `async` handler', side: bareAsync, bare: bareGet },
          { route: 'signature endpoint', side: endpoint, bare: bareGet },
        );
        const signatureProfile = httpProfile(
          `signature-endpoint-${platform}`,
          { app: 'signature', platform },
          'GET',
          BENCH_ROUTES.signature,
        );
        figures.push(
          ratioFigure(
            {
              section,
              subject: 'signature endpoint `GET /users/current/flow_signature`',
              baseline: 'bare GET, same guard, constant JSON of the same size',
              unit: 'req/s',
              target: { kind: 'min', value: 0.9 },
              profile: signatureProfile,
            },
            endpoint.rps,
            bareGet.rps,
          ),
          budgetFigure(
            section,
            'the signature endpoint (over the bare GET)',
            `${CPU_BUDGETS.signatureSigns} × \`FlowSigner.sign\` (${signMicros.toFixed(1)} µs in this process)`,
            addedMicros(endpoint, bareGet),
            CPU_BUDGETS.signatureSigns * signMicros,
            signatureProfile,
          ),
          ratioFigure(
            {
              section,
              subject:
                'diagnostic: server CPU per request added by the signature endpoint, against signing starting from main memory',
              baseline: `1.5 × one \`FlowSigner.sign\` after 32 MiB of other memory (${signColdMicros.toFixed(1)} µs in this process)`,
              unit: 'µs',
            },
            addedMicros(endpoint, bareGet),
            CPU_BUDGETS.signatureSigns * signColdMicros,
          ),
          ratioFigure(
            {
              section,
              subject: 'diagnostic: the bare GET as an `async` handler',
              baseline: 'bare GET',
              unit: 'req/s',
            },
            bareAsync.rps,
            bareGet.rps,
          ),
        );

        const post = (path: string): LoadTarget => ({
          url: memory.url,
          server: memory,
          request: webhookRequest(path),
        });
        const receiver = post(BENCH_ROUTES.receiver);
        const receiverRun = await calibrated(memory, () =>
          rotate(
            [
              post(BENCH_ROUTES.bareWebhook),
              post(BENCH_ROUTES.guardedWebhook),
              post(BENCH_ROUTES.headersReadWebhook),
              post(BENCH_ROUTES.verifyConstWebhook),
              post(BENCH_ROUTES.verifyOnlyWebhook),
              post(BENCH_ROUTES.verifiedWebhook),
              receiver,
            ],
            plan.rounds,
            size,
            warmup,
          ),
        );
        const [barePost, noopGuarded, headersRead, verifyConst, verifyOnly, verified, received] =
          receiverRun.result;
        const { verifyMicros, verifyL2Micros, verifyColdMicros } = receiverRun.calibration;
        accounting = accountingTable(label, {
          bare: barePost,
          noopGuard: noopGuarded,
          headersRead,
          verifyConst,
          verifyOnly,
          verified,
          receiver: received,
          verifyMicros,
          verifyL2Micros,
          verifyColdMicros,
          dispatchMicros: receiverRun.calibration.dispatchMicros,
        });
        await assertProcessed(
          memory,
          received.requests,
          verified.requests + verifyOnly.requests,
          `${label} receiver`,
        );
        rows.push(
          { route: 'bare POST (baseline)', side: barePost },
          { route: 'bare POST behind a no-op guard', side: noopGuarded, bare: barePost },
          {
            route: 'bare POST behind a guard reading what `FlowWebhookGuard` reads',
            side: headersRead,
            bare: barePost,
          },
          {
            route: 'bare POST behind a guard verifying one fixed delivery',
            side: verifyConst,
            bare: barePost,
          },
          {
            route: 'bare POST behind a guard verifying the request (no replay check)',
            side: verifyOnly,
            bare: barePost,
          },
          { route: 'bare POST behind `FlowWebhookGuard`', side: verified, bare: barePost },
          { route: 'receiver, memory store', side: received, bare: barePost },
        );
        const guardAllowance = CPU_BUDGETS.guardVerifications * verifyMicros;
        const receiverProfile = httpProfile(
          `receiver-memory-${platform}`,
          { app: 'receiver', platform },
          'POST',
          BENCH_ROUTES.receiver,
        );
        figures.push(
          ratioFigure(
            {
              section,
              subject: 'receiver `POST /webhook_receivers/flow`: verify + memory store + handler',
              baseline: 'bare POST, same raw-body JSON parsing, trivial handler',
              unit: 'req/s',
              target: { kind: 'min', value: 0.85 },
              profile: receiverProfile,
            },
            received.rps,
            barePost.rps,
          ),
          budgetFigure(
            section,
            '`FlowWebhookGuard` (bare POST behind it, over the bare POST)',
            `${CPU_BUDGETS.guardVerifications} × one in-process verification (${verifyMicros.toFixed(1)} µs in this process)`,
            addedMicros(verified, barePost),
            guardAllowance,
            httpProfile(
              `guard-only-${platform}`,
              { app: 'receiver', platform },
              'POST',
              BENCH_ROUTES.verifiedWebhook,
            ),
          ),
          ratioFigure(
            {
              section,
              subject:
                'diagnostic: server CPU per request added by `FlowWebhookGuard`, against verification starting from main memory',
              baseline: `1.3 × one verification after 32 MiB of other memory (${verifyColdMicros.toFixed(1)} µs in this process)`,
              unit: 'µs',
            },
            addedMicros(verified, barePost),
            CPU_BUDGETS.guardVerifications * verifyColdMicros,
          ),
          budgetFigure(
            section,
            'the receiver on the memory store (over the bare POST)',
            `the guard's allowance + ${CPU_BUDGETS.receiverExtraMicros} µs`,
            addedMicros(received, barePost),
            guardAllowance + CPU_BUDGETS.receiverExtraMicros,
            receiverProfile,
          ),
          ratioFigure(
            {
              section,
              subject:
                'diagnostic: the bare POST behind `FlowWebhookGuard` (verification, no store)',
              baseline: 'bare POST',
              unit: 'req/s',
            },
            verified.rps,
            barePost.rps,
          ),
        );

        const redisSpec: ServerSpec = {
          app: 'receiver',
          platform,
          store: 'redis',
          redisUrl: 'unavailable' in redis ? undefined : redis.url,
        };
        const fields = {
          section,
          subject: 'receiver on the Redis store',
          baseline: 'receiver on the memory store',
          unit: 'req/s' as const,
          target: { kind: 'min' as const, value: 0.6 },
          profile: httpProfile(
            `receiver-redis-${platform}`,
            redisSpec,
            'POST',
            BENCH_ROUTES.receiver,
          ),
        };
        if (onRedis === undefined) {
          figures.push(
            notMeasured(fields, 'unavailable' in redis ? redis.unavailable : 'no Redis'),
          );
          return;
        }
        const storePair = await alternate(
          receiver,
          { url: onRedis.url, server: onRedis, request: webhookRequest(BENCH_ROUTES.receiver) },
          plan.rounds,
          size,
          warmup,
        );
        await assertProcessed(onRedis, storePair.subject.requests, 0, `${label} receiver on Redis`);
        rows.push(
          { route: 'receiver, memory store (second group)', side: storePair.baseline },
          {
            route: 'receiver, Redis store',
            side: storePair.subject,
            bare: storePair.baseline,
          },
        );
        figures.push(ratioFigure(fields, storePair.subject.rps, storePair.baseline.rps));
      });
      details.push({ section, markdown: cpuTable(label, rows) });
      if (accounting !== '') details.push({ section, markdown: accounting });
    }
    // Profiled here, while the bench's Redis still runs.
    if (plan.profileSeconds > 0) await profileMissedFigures(figures, notes, plan.profileSeconds);
  } finally {
    if (!('unavailable' in redis)) await redis.stop();
  }
  if ('unavailable' in redis) notes.push(`Redis figure not measured: ${redis.unavailable}.`);
  return figures;
}
