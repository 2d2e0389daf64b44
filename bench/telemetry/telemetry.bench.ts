import type { HttpPlan } from '../plan.js';
import type { Figure } from '../support/figures.js';
import { judge, type Target } from '../support/figures.js';
import { BENCH_ROUTES } from '../http/bench-apps.js';
import { loadSizes, rotate, webhookRequest, type SideThroughput } from '../http/load.js';
import { withServers } from '../http/servers.js';
import { BENCH_SAMPLED_RATIO } from './bench-sdk.js';
import type { ServerSpec } from '../http/server-spec.js';

const PLATFORMS = [
  ['express', 'Express'],
  ['fastify', 'Fastify'],
] as const;

const MEASURED = ['api', 'metrics', 'traces', 'ratio'] as const;
type Measured = (typeof MEASURED)[number];

/** The targets: the API alone within 2 % of no telemetry, the SDK within 10 %. */
const TARGETS: Record<Measured, Target> = {
  api: { kind: 'min', value: 0.98 },
  metrics: { kind: 'min', value: 0.9 },
  traces: { kind: 'min', value: 0.9 },
  ratio: { kind: 'min', value: 0.9 },
};

const SUBJECTS: Record<Measured, string> = {
  api: 'receiver, memory store, `@opentelemetry/api` without an SDK',
  metrics: 'receiver, memory store, the metrics SDK with an in-memory reader, no TracerProvider',
  traces:
    'receiver, memory store, the metrics SDK and a TracerProvider sampling every span (in-memory reader and span exporter)',
  ratio: `receiver, memory store, the metrics SDK and a TracerProvider with a parent-based sampler keeping ${BENCH_SAMPLED_RATIO * 100} % of deliveries`,
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
  kind: Measured,
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
    subject: SUBJECTS[kind],
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
 * The telemetry's cost on the built-in receiver, on Express and on Fastify: five receivers
 * (telemetry off, the API alone, metrics only, metrics and every span, metrics and one delivery
 * in ten traced) loaded in turns, the order reversed every other round, each compared with the
 * off receiver of the same round.
 */
export async function benchTelemetry(plan: HttpPlan): Promise<Figure[]> {
  const { size, warmup } = loadSizes(plan);
  const figures: Figure[] = [];
  for (const [platform, label] of PLATFORMS) {
    const specs: ServerSpec[] = (['off', ...MEASURED] as const).map((telemetry) => ({
      app: 'receiver',
      platform,
      telemetry,
    }));
    await withServers(specs, async (servers) => {
      const targets = servers.map((server) => ({
        url: server.url,
        server,
        request: webhookRequest(BENCH_ROUTES.receiver),
      }));
      const [off, ...measured] = await rotate(targets, plan.rounds, size, warmup);
      const section = `Telemetry, ${label}`;
      MEASURED.forEach((kind, index) =>
        figures.push(telemetryFigure(section, kind, measured[index], off)),
      );
    });
  }
  return figures;
}
