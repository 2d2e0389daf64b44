import type { HttpPlan } from '../plan.js';
import { notMeasured, ratioFigure, type Figure } from '../support/figures.js';
import { BENCH_ROUTES } from './bench-apps.js';
import {
  alternate,
  rotate,
  signatureRequest,
  webhookRequest,
  type LoadSize,
  type SideThroughput,
} from './load.js';
import { profileMissedFigures } from '../profile/profile-missed.js';
import { startBenchRedis } from './redis-server.js';
import { startServer, type BenchServer } from './servers.js';
import type { ServerSpec } from './server-spec.js';

const PLATFORMS = [
  ['express', 'Express'],
  ['fastify', 'Fastify'],
] as const;

async function withServers<T>(
  specs: ServerSpec[],
  fn: (servers: BenchServer[]) => Promise<T>,
): Promise<T> {
  const started = await Promise.allSettled(specs.map((spec) => startServer(spec)));
  const servers = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return await fn(servers);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

function describeBusy(
  label: string,
  pair: { baseline: SideThroughput; subject: SideThroughput },
): string {
  const cores = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '?');
  const micros = (side: SideThroughput) =>
    Number.isFinite(side.serverBusy) ? `${Math.round((side.serverBusy / side.rps) * 1e6)} µs` : '?';
  const rounds = (side: SideThroughput) => side.perRound.map((rps) => Math.round(rps)).join(' ');
  return (
    `${label}: req/s per round ${rounds(pair.subject)} / ${rounds(pair.baseline)}, ` +
    `server CPU per request ${micros(pair.subject)} / ${micros(pair.baseline)}, ` +
    `server ${cores(pair.subject.serverBusy)} / ${cores(pair.baseline.serverBusy)} cores, ` +
    `load generator ${cores(pair.subject.clientBusy)} / ${cores(pair.baseline.clientBusy)} cores`
  );
}

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

/**
 * Figure 3, on Express and on Fastify, each pair alternated in rounds: the signature endpoint
 * against a bare guarded GET of the same response size; the built-in receiver (memory store)
 * against a bare POST with the same body parsing; the receiver on Redis against it on memory.
 */
export async function benchHttp(plan: HttpPlan, notes: string[]): Promise<Figure[]> {
  const size: LoadSize = {
    connections: plan.connections,
    seconds: plan.secondsPerSide,
    requests: plan.requestsPerSide,
  };
  const warmup: LoadSize = {
    connections: plan.connections,
    seconds: plan.warmupSeconds,
    requests: plan.warmupRequests,
  };
  const figures: Figure[] = [];
  const busy: string[] = [];
  const redis = await startBenchRedis();
  try {
    for (const [platform, label] of PLATFORMS) {
      const section = `HTTP, ${label}`;
      const specs: ServerSpec[] = [
        { app: 'signature', platform },
        { app: 'receiver', platform },
      ];
      if (!('unavailable' in redis))
        specs.push({ app: 'receiver', platform, store: 'redis', redisUrl: redis.url });
      // Started together (an idle server costs nothing but memory), measured one pair at a time.
      await withServers(specs, async ([signature, memory, onRedis]) => {
        const [bareGet, bareAsync, endpoint] = await rotate(
          [
            {
              url: signature.url,
              server: signature,
              request: signatureRequest(BENCH_ROUTES.bareSignature),
            },
            {
              url: signature.url,
              server: signature,
              request: signatureRequest(BENCH_ROUTES.bareSignatureAsync),
            },
            {
              url: signature.url,
              server: signature,
              request: signatureRequest(BENCH_ROUTES.signature),
            },
          ],
          plan.rounds,
          size,
          warmup,
        );
        busy.push(
          describeBusy(`${label}, signature endpoint / bare GET`, {
            subject: endpoint,
            baseline: bareGet,
          }),
        );
        figures.push(
          ratioFigure(
            {
              section,
              subject: 'signature endpoint `GET /users/current/flow_signature`',
              baseline: 'bare GET, same guard, constant JSON of the same size',
              unit: 'req/s',
              target: { kind: 'min', value: 0.9 },
              profile: {
                name: `signature-endpoint-${platform}`,
                subject: {
                  kind: 'http',
                  spec: { app: 'signature', platform },
                  method: 'GET',
                  path: BENCH_ROUTES.signature,
                },
              },
            },
            endpoint.rps,
            bareGet.rps,
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

        const receiver = {
          url: memory.url,
          server: memory,
          request: webhookRequest(BENCH_ROUTES.receiver),
        };
        const [barePost, verified, received] = await rotate(
          [
            { url: memory.url, server: memory, request: webhookRequest(BENCH_ROUTES.bareWebhook) },
            {
              url: memory.url,
              server: memory,
              request: webhookRequest(BENCH_ROUTES.verifiedWebhook),
            },
            receiver,
          ],
          plan.rounds,
          size,
          warmup,
        );
        await assertProcessed(memory, received.requests, verified.requests, `${label} receiver`);
        busy.push(
          describeBusy(`${label}, receiver / bare POST`, { subject: received, baseline: barePost }),
        );
        busy.push(
          describeBusy(`${label}, bare POST behind the guard / bare POST`, {
            subject: verified,
            baseline: barePost,
          }),
        );
        figures.push(
          ratioFigure(
            {
              section,
              subject: 'receiver `POST /webhook_receivers/flow`: verify + memory store + handler',
              baseline: 'bare POST, same raw-body JSON parsing, trivial handler',
              unit: 'req/s',
              target: { kind: 'min', value: 0.85 },
              profile: {
                name: `receiver-memory-${platform}`,
                subject: {
                  kind: 'http',
                  spec: { app: 'receiver', platform },
                  method: 'POST',
                  path: BENCH_ROUTES.receiver,
                },
              },
            },
            received.rps,
            barePost.rps,
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
          profile: {
            name: `receiver-redis-${platform}`,
            subject: {
              kind: 'http' as const,
              spec: redisSpec,
              method: 'POST' as const,
              path: BENCH_ROUTES.receiver,
            },
          },
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
        busy.push(describeBusy(`${label}, receiver on Redis / on memory`, storePair));
        figures.push(ratioFigure(fields, storePair.subject.rps, storePair.baseline.rps));
      });
    }
    // Profiled here, while the bench's Redis still runs.
    if (plan.profileSeconds > 0) await profileMissedFigures(figures, notes, plan.profileSeconds);
  } finally {
    if (!('unavailable' in redis)) await redis.stop();
  }
  if ('unavailable' in redis) notes.push(`Redis figure not measured: ${redis.unavailable}.`);
  notes.push(
    'HTTP rounds (subject / baseline): requests per second of each round, and CPU of the server process and of the load generator, in cores. ' +
      'A server near 1.0 was the bottleneck, so the ratio measures it; a load generator near 1.0 set the pace itself. ' +
      'Server CPU per request turns a ratio into the microseconds a route adds. ' +
      busy.join('; ') +
      '.',
  );
  return figures;
}
