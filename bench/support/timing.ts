import { performance } from 'node:perf_hooks';
import { Bench } from 'tinybench';

/** Time budgets of one in-process comparison. */
export interface TimingBudget {
  /** Rounds; the task order rotates each round, and the median round counts. */
  rounds: number;
  /** tinybench `time` per task per round, in ms. */
  timeMs: number;
  /** tinybench `warmupTime` per task per round, in ms. */
  warmupMs: number;
  /** Minimum samples per task per round (tinybench `iterations`; its default of 64 is slow on 1 MiB). */
  minSamples: number;
}

/** One task's result: nanoseconds per call, the median over the rounds. */
export interface TaskTiming {
  /** Task name as given. */
  name: string;
  /** Median over the rounds of the mean time of one call. */
  nsPerOp: number;
  /** Every round's mean time of one call, in ns. */
  perRound: number[];
}

// A sample must be long against the timer's resolution and cost (~50 ns): short calls are batched.
const MIN_SAMPLE_NS = 20_000;

function calibrate(fn: () => unknown): number {
  const warm = performance.now();
  for (let i = 0; i < 50 && performance.now() - warm < 5; i++) fn();
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < 5) {
    fn();
    calls++;
  }
  const ns = ((performance.now() - start) * 1e6) / calls;
  return Math.max(1, Math.ceil(MIN_SAMPLE_NS / ns));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Times synchronous tasks with tinybench, in the same process, interleaved: every round runs
 * every task (in a rotated order), so a slow patch of the machine hits all of them alike.
 * Each task must already have been checked to do its real work (see `checkOnce` callers).
 */
export async function timeTasks(
  tasks: Record<string, () => unknown>,
  budget: TimingBudget,
): Promise<Record<string, TaskTiming>> {
  const names = Object.keys(tasks);
  const batches = Object.fromEntries(names.map((name) => [name, calibrate(tasks[name])]));
  const perRound: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  let sink: unknown;
  for (let round = 0; round < budget.rounds; round++) {
    const bench = new Bench({
      time: budget.timeMs,
      warmupTime: budget.warmupMs,
      iterations: budget.minSamples,
      warmupIterations: Math.min(16, budget.minSamples),
      throws: true,
    });
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const fn = tasks[name];
      const batch = batches[name];
      bench.add(name, () => {
        for (let i = 0; i < batch; i++) sink = fn();
      });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result as { latency?: { mean: number } };
      if (!result.latency) throw new Error(`tinybench returned no latency for ${task.name}`);
      perRound[task.name].push((result.latency.mean * 1e6) / batches[task.name]);
    }
  }
  void sink;
  return Object.fromEntries(
    names.map((name) => [
      name,
      { name, nsPerOp: median(perRound[name]), perRound: perRound[name] },
    ]),
  );
}
