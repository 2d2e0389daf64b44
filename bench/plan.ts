import type { TimingBudget } from './support/timing.js';

/** The parts of the benchmark, in the order they run. */
export const BENCH_SECTIONS = [
  'signing',
  'verification',
  'http',
  'telemetry',
  'storm',
  'memory',
] as const;
/**
 * Narrow parts, run only when named with `--only`: `floor` is the 340 B verification against the
 * floor alone (its fresh-process runs), `storm-memory` the memory-store storm alone.
 */
export const NARROW_SECTIONS = ['floor', 'storm-memory'] as const;
/** One part of the benchmark. */
export type BenchSection = (typeof BENCH_SECTIONS)[number] | (typeof NARROW_SECTIONS)[number];
const KNOWN_SECTIONS: readonly string[] = [...BENCH_SECTIONS, ...NARROW_SECTIONS];

/** Command line: `--quick`, `--only=signing,http` (or `--only signing,http`), `--no-write`. */
export interface BenchArguments {
  quick: boolean;
  sections: BenchSection[];
  /** False with `--no-write` or `--only`: the report goes to bench/.out/, BENCHMARKS.md is kept. */
  write: boolean;
}

/** Reads the command line; unknown flags are refused so a typo does not silently run everything. */
export function parseArguments(argv: string[]): BenchArguments {
  let sections: BenchSection[] = [...BENCH_SECTIONS];
  let quick = false;
  let write = true;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] === '--only' ? `--only=${argv[++index] ?? ''}` : argv[index];
    if (arg === '--quick') quick = true;
    else if (arg === '--no-write') write = false;
    else if (arg.startsWith('--only=')) {
      const wanted = arg.slice('--only='.length).split(',');
      const unknown = wanted.filter((name) => !KNOWN_SECTIONS.includes(name));
      if (unknown.length > 0)
        throw new Error(
          `unknown section(s) ${unknown.join(', ')}; known: ${KNOWN_SECTIONS.join(', ')}`,
        );
      sections = [...BENCH_SECTIONS, ...NARROW_SECTIONS].filter((name) => wanted.includes(name));
    } else throw new Error(`unknown argument ${arg}; use --quick, --only=<sections>, --no-write`);
  }
  // A partial run never replaces the full table.
  const full = sections.join() === BENCH_SECTIONS.join();
  if (!full && !quick) write = false;
  return { quick, sections, write };
}

/** HTTP load settings. */
export interface HttpPlan {
  /** Concurrent connections of autocannon. */
  connections: number;
  /** Alternating rounds per pair (baseline, subject, then subject, baseline…). */
  rounds: number;
  /**
   * Fresh server processes, each running `rounds` rounds (1 when unset). Two identical processes
   * can differ by 15–20 % by themselves, so a few-per-cent figure takes the median over several.
   */
  epochs?: number;
  /** Seconds per side per round; ignored when `requestsPerSide` is set. */
  secondsPerSide: number;
  /** Fixed request count per side per round, instead of a duration: server CPU is read over it. */
  requestsPerSide?: number;
  /** Seconds of load on each server before the rounds, so the JIT is warm. */
  warmupSeconds: number;
  /** Requests of warm-up in quick mode. */
  warmupRequests?: number;
  /** Seconds of `--cpu-prof` load per missed target; 0 profiles nothing. */
  profileSeconds: number;
}

/** Memory settings. */
export interface MemoryPlan {
  /** Unique ids pushed through the memory store. */
  ids: number;
  /** The store's cap; unset: its default (100 000). */
  storeCap?: number;
  /** Seconds of receiver load for the RSS figure; 0 skips it. */
  soakSeconds: number;
  /** Seconds of that load counted as warm-up. */
  soakWarmupSeconds: number;
}

/** Retry-storm settings. */
export interface StormPlan {
  /** Distinct deliveries of the storm. */
  deliveries: number;
  /** Share of duplicates added on top (0.2: 20 %). */
  duplicateShare: number;
  /** Concurrent keep-alive connections per instance. */
  connections: number;
  /** Deliveries of warm-up before the storm (distinct ids, checked too). */
  warmup: number;
}

/** Everything a run does, by mode. */
export interface BenchPlan {
  inProcess: TimingBudget;
  /** Fresh-process runs of each verifier against the floor where the floor sets a target. */
  floorRuns: number;
  /** Seconds of `--cpu-prof` per missed in-process target; 0 profiles nothing. */
  profileSeconds: number;
  http: HttpPlan;
  /**
   * The telemetry section's load: its targets are a few per cent apart, so it runs many short
   * rounds, each subject right after its baseline, where the HTTP section runs a few long ones.
   */
  telemetry: HttpPlan;
  storm: StormPlan;
  memory: MemoryPlan;
}

/** Quick mode's HTTP load: a hundred requests a side, enough to prove each route answers. */
const QUICK_HTTP: HttpPlan = {
  connections: 4,
  rounds: 1,
  secondsPerSide: 0,
  requestsPerSide: 100,
  warmupSeconds: 0,
  warmupRequests: 20,
  profileSeconds: 0,
};

/** Full mode measures; quick mode only proves every part still runs (its ratios mean little). */
export function plan(quick: boolean): BenchPlan {
  return quick
    ? {
        inProcess: { rounds: 1, timeMs: 30, warmupMs: 10, minSamples: 2 },
        // Two, so the worst-run figure is built and rendered, not only the single-run one.
        floorRuns: 2,
        profileSeconds: 0,
        http: QUICK_HTTP,
        // One round proves the section runs; quick mode judges nothing.
        telemetry: QUICK_HTTP,
        storm: { deliveries: 200, duplicateShare: 0.2, connections: 8, warmup: 20 },
        memory: { ids: 40_000, storeCap: 10_000, soakSeconds: 0, soakWarmupSeconds: 0 },
      }
    : {
        inProcess: { rounds: 5, timeMs: 600, warmupMs: 200, minSamples: 32 },
        floorRuns: 5,
        profileSeconds: 5,
        http: {
          connections: 16,
          // Eight rounds: on a shared machine a slow patch can land on one route's turn; the
          // median of eight per-round differences shrugs off two such rounds.
          rounds: 8,
          secondsPerSide: 0,
          requestsPerSide: 10_000,
          warmupSeconds: 5,
          profileSeconds: 8,
        },
        telemetry: {
          connections: 16,
          // One round's ratio of two identical receivers ranges from 0.8 to 1.25, and one pair of
          // processes can sit 15–20 % apart for its whole life: 8 sets of fresh processes of 5
          // short rounds each, 40 rounds in all, so neither one round nor one process decides.
          epochs: 8,
          rounds: 5,
          secondsPerSide: 0,
          requestsPerSide: 2_000,
          warmupSeconds: 2,
          profileSeconds: 0,
        },
        storm: { deliveries: 10_000, duplicateShare: 0.2, connections: 32, warmup: 1_000 },
        memory: { ids: 1_000_000, soakSeconds: 60, soakWarmupSeconds: 15 },
      };
}
