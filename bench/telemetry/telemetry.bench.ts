import type { HttpPlan } from '../plan.js';
import type { Figure } from '../support/figures.js';
import { judge, type Target } from '../support/figures.js';
import { BENCH_ROUTES } from '../http/bench-apps.js';
import { rotate, webhookRequest, type LoadSize, type SideThroughput } from '../http/load.js';
import { startServer, type BenchServer } from '../http/servers.js';
import type { ServerSpec } from '../http/server-spec.js';

const PLATFORMS = [
  ['express', 'Express'],
  ['fastify', 'Fastify'],
] as const;

/** The targets: the API alone within 2 % of no telemetry, the SDK within 10 %. */
const TARGETS: Record<'api' | 'sdk', Target> = {
  api: { kind: 'min', value: 0.98 },
  sdk: { kind: 'min', value: 0.9 },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Per-round ratios subject / baseline: each pair ran back to back, on the same machine state. */
function roundRatios(subject: SideThroughput, baseline: SideThroughput): number[] {
  return subject.perRound.map((rps, round) => rps / baseline.perRound[round]);
}

/** A figure judged on the median of the per-round ratios, with their spread in the note. */
function telemetryFigure(
  section: string,
  kind: 'api' | 'sdk',
  subject: SideThroughput,
  baseline: SideThroughput,
): Figure {
  const ratios = roundRatios(subject, baseline);
  const ratio = median(ratios);
  const spread = `${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}`;
  // Server CPU per request is steadier than req/s when other processes share the cores.
  const cpu = subject.perRoundCpu.map((micros, round) => micros - baseline.perRoundCpu[round]);
  return {
    section,
    subject:
      kind === 'api'
        ? 'receiver, memory store, `@opentelemetry/api` without an SDK'
        : 'receiver, memory store, OpenTelemetry SDK with in-memory metric reader and span exporter',
    baseline: 'the same receiver with `telemetry: false`',
    unit: 'req/s',
    subjectValue: median(subject.perRound),
    baselineValue: median(baseline.perRound),
    ratio,
    target: TARGETS[kind],
    status: judge(ratio, TARGETS[kind]),
    note:
      `median of ${ratios.length} interleaved rounds; per-round ratios ${spread}; ` +
      `server CPU per request ${median(subject.perRoundCpu).toFixed(1)} µs against ` +
      `${median(baseline.perRoundCpu).toFixed(1)} µs (median added ${median(cpu).toFixed(1)} µs)`,
  };
}

/**
 * The telemetry's cost on the built-in receiver, on Express and on Fastify: three receivers
 * (telemetry off, the API alone, the SDK with in-memory readers) loaded in turns, the order
 * reversed every other round, each compared with the off receiver of the same round.
 */
export async function benchTelemetry(plan: HttpPlan): Promise<Figure[]> {
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
  for (const [platform, label] of PLATFORMS) {
    const specs: ServerSpec[] = (['off', 'api', 'sdk'] as const).map((telemetry) => ({
      app: 'receiver',
      platform,
      telemetry,
    }));
    const servers: BenchServer[] = [];
    try {
      for (const spec of specs) servers.push(await startServer(spec));
      const targets = servers.map((server) => ({
        url: server.url,
        server,
        request: webhookRequest(BENCH_ROUTES.receiver),
      }));
      const [off, api, sdk] = await rotate(targets, plan.rounds, size, warmup);
      const section = `Telemetry, ${label}`;
      figures.push(
        telemetryFigure(section, 'api', api, off),
        telemetryFigure(section, 'sdk', sdk, off),
      );
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  }
  return figures;
}
