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

const MEASURED = ['api', 'metrics', 'traces', 'ratio', 'reference'] as const;
type Measured = (typeof MEASURED)[number];

/** Extra handler work of the `reference` set-up, in µs of CPU per event. */
const REFERENCE_WORK_MICROS = 5;

/** How each set-up's server is made (beside its off twin). */
const SETUPS: Record<Measured, Pick<ServerSpec, 'telemetry' | 'handlerWorkMicros'>> = {
  api: { telemetry: 'api' },
  metrics: { telemetry: 'metrics' },
  traces: { telemetry: 'traces' },
  ratio: { telemetry: 'ratio' },
  // No telemetry, a handler doing a known amount more: what that much work per delivery costs.
  reference: { telemetry: 'off', handlerWorkMicros: REFERENCE_WORK_MICROS },
};

/**
 * The targets: the API alone within 2 % of no telemetry, the SDK within 10 %. The
 * reference is reported only.
 */
const TARGETS: Record<Measured, Target | undefined> = {
  api: { kind: 'min', value: 0.98 },
  metrics: { kind: 'min', value: 0.9 },
  traces: { kind: 'min', value: 0.9 },
  ratio: { kind: 'min', value: 0.9 },
  reference: undefined,
};

const SUBJECTS: Record<Measured, string> = {
  api: 'receiver, memory store, `@opentelemetry/api` without an SDK',
  metrics: 'receiver, memory store, the metrics SDK with an in-memory reader, no TracerProvider',
  traces:
    'receiver, memory store, the metrics SDK and a TracerProvider sampling every span (in-memory reader and span exporter)',
  ratio: `receiver, memory store, the metrics SDK and a TracerProvider with a parent-based sampler keeping ${BENCH_SAMPLED_RATIO * 100} % of deliveries`,
  reference: `reference: receiver, memory store, \`telemetry: false\`, its handler ${REFERENCE_WORK_MICROS} µs of CPU busier per event (a known cost)`,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Per-round ratios of req/s, subject / baseline: each pair ran back to back. */
function roundRatios(subject: SideThroughput, baseline: SideThroughput): number[] {
  return subject.perRound.map((rps, round) => rps / baseline.perRound[round]);
}

/**
 * Per-round ratios of the server's capacity (requests per CPU-second), subject / baseline: the
 * baseline's CPU per request over the subject's.
 */
function capacityRatios(subject: SideThroughput, baseline: SideThroughput): number[] {
  return subject.perRoundCpu.map((micros, round) => baseline.perRoundCpu[round] / micros);
}

/** The rounds of one receiver in one set of processes (an epoch), with its off twin's. */
interface EpochRounds {
  subject: SideThroughput;
  baseline: SideThroughput;
}

const range = (values: number[]) =>
  `${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}`;

/**
 * A figure judged on the server's capacity: requests per second of server CPU, the throughput a
 * saturated receiver reaches. The load generator shares this machine and signs every delivery,
 * so on Fastify neither it nor the server may be saturated: req/s then also measures the round
 * trip, and would hide the telemetry's cost there. The median of every round's ratio over all epochs is judged; the note
 * gives the spread of the rounds, of the epochs' medians, and the req/s ratio.
 */
function telemetryFigure(section: string, kind: Measured, epochs: EpochRounds[]): Figure {
  const ratios = epochs.flatMap(({ subject, baseline }) => capacityRatios(subject, baseline));
  const ratio = median(ratios);
  const epochMedians = epochs.map(({ subject, baseline }) =>
    median(capacityRatios(subject, baseline)),
  );
  const rpsRatios = epochs.flatMap(({ subject, baseline }) => roundRatios(subject, baseline));
  const subjectCpu = epochs.flatMap(({ subject }) => subject.perRoundCpu);
  const baselineCpu = epochs.flatMap(({ baseline }) => baseline.perRoundCpu);
  const clientBusy = median(epochs.map(({ subject }) => subject.clientBusy));
  // The median CPU per request the subject added in a round: in all, in the process's own code
  // (user), or in the kernel's socket work (system).
  const addedOf = (key: 'perRoundCpu' | 'perRoundUser' | 'perRoundSystem') => {
    const subjectRounds = epochs.flatMap(({ subject }) => subject[key]);
    const baselineRounds = epochs.flatMap(({ baseline }) => baseline[key]);
    return median(subjectRounds.map((micros, round) => micros - baselineRounds[round])).toFixed(1);
  };
  return {
    section,
    subject: SUBJECTS[kind],
    baseline: 'the same receiver with `telemetry: false`, in the same process',
    unit: 'req/s',
    subjectValue: 1e6 / median(subjectCpu),
    baselineValue: 1e6 / median(baselineCpu),
    ratio,
    target: TARGETS[kind],
    status: judge(ratio, TARGETS[kind]),
    note:
      `requests per second of server CPU; median of ${ratios.length} interleaved rounds over ` +
      `${epochs.length} sets of fresh processes, each against its twin; per-round ratios ` +
      `${range(ratios)}, per-set medians ${range(epochMedians)}; server CPU per request ` +
      `${median(subjectCpu).toFixed(1)} µs against ${median(baselineCpu).toFixed(1)} µs ` +
      `(median added ${addedOf('perRoundCpu')} µs: user ${addedOf('perRoundUser')}, system ` +
      `${addedOf('perRoundSystem')}); req/s ratio ${median(rpsRatios).toFixed(3)}, ` +
      `the load generator ${(clientBusy * 100).toFixed(0)} % busy`,
  };
}

/**
 * The telemetry's cost on the built-in receiver, on Express and on Fastify. Each measured receiver
 * (the API alone, metrics only, metrics and every span, metrics and one delivery in ten traced)
 * runs in its own process beside an `offTwin`: the same receiver with `telemetry: false`, in the
 * same process, so the pair shares that process's luck. All eight are loaded in turns, the order
 * reversed every other round, each compared with its own twin in the same round; the processes
 * start afresh for every epoch.
 */
export async function benchTelemetry(plan: HttpPlan): Promise<Figure[]> {
  const { size, warmup } = loadSizes(plan);
  const figures: Figure[] = [];
  for (const [platform, label] of PLATFORMS) {
    const specs: ServerSpec[] = MEASURED.map((kind) => ({
      app: 'receiver',
      platform,
      ...SETUPS[kind],
      offTwin: true,
    }));
    const epochs: EpochRounds[][] = MEASURED.map(() => []);
    for (let epoch = 0; epoch < (plan.epochs ?? 1); epoch++) {
      await withServers(specs, async (servers) => {
        const targets = servers.flatMap((server) =>
          [server.twinUrl as string, server.url].map((url) => ({
            url,
            server,
            request: webhookRequest(BENCH_ROUTES.receiver),
          })),
        );
        const sides = await rotate(targets, plan.rounds, size, warmup);
        MEASURED.forEach((_, index) =>
          epochs[index].push({ baseline: sides[2 * index], subject: sides[2 * index + 1] }),
        );
      });
    }
    const section = `Telemetry, ${label}`;
    MEASURED.forEach((kind, index) => figures.push(telemetryFigure(section, kind, epochs[index])));
  }
  return figures;
}
