import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Time budgets of one in-process comparison. */
export interface TimingBudget {
  /** Rounds; the task order rotates each round, and the median round counts. */
  rounds: number;
  /** Wall time per task per round, in ms. */
  timeMs: number;
  /** Warm-up per task per round, in ms. */
  warmupMs: number;
  /** Minimum samples (batches) per task per round. */
  minSamples: number;
}

/** One task's result: nanoseconds per call, the median over the rounds. */
export interface TaskTiming {
  /** Task name as given. */
  name: string;
  /** Median over the rounds of the mean CPU time of one call. */
  nsPerOp: number;
  /** Every round's mean CPU time of one call, in ns. */
  perRound: number[];
}

// A sample must be long against the cost of reading the CPU clock (~1 µs) and of the young-
// generation collection that ends it (about 0.1 ms; see `timedBatch`).
const MIN_SAMPLE_NS = 2_000_000;

// V8's gc(), reachable without `--expose-gc` on the command line: the flag is set now, and a new
// context gets the function.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as (options: {
  type: 'minor';
  execution: 'sync';
}) => void;
const MINOR_SYNC = { type: 'minor', execution: 'sync' } as const;

/** CPU time (user + system) of this process, in ns. */
function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) * 1000;
}

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

/** Runs `batch` calls of one task. */
type BatchRunner = (batch: number) => void;

/**
 * A batch loop of its own for `fn`, compiled from source for each task (as benchmark.js does):
 * one loop shared by every task is a polymorphic call site, and V8 optimised it around the first
 * task it saw, deoptimised at the second, and inlined each differently from one process to the
 * next. The loop holds nothing but the calls: with the clock read inside it, some processes
 * deoptimised the loop's compiled code at the end of every batch, for the whole run.
 */
function batchRunner(fn: () => unknown): BatchRunner {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fresh function per task, see above
  const make = new Function(
    'fn',
    // Each result is stored in the closure (a context slot), so no call can be dropped as dead.
    `let sink;
    return function runBatch(batch) {
      for (let i = 0; i < batch; i++) sink = fn();
    };`,
  ) as (fn: () => unknown) => BatchRunner;
  return make(fn);
}

/**
 * CPU ns of `batch` calls of a task, with the garbage they made collected inside the timing. Left
 * to V8, a collection (several ms, most of it freeing OpenSSL's hash and HMAC contexts) starts in
 * whichever task's batch fills the young generation, and frees the other task's objects too: the
 * task that allocates more paid for both, and the few collections a round holds made its rounds
 * differ by up to 20%. Collected at the end of every batch, each task pays for its own garbage; the
 * collection's fixed cost is the same in every batch, and batches are sized to take the same
 * time, so it cancels out of a ratio.
 */
function timedBatch(runner: BatchRunner, batch: number): number {
  const before = cpuNow();
  runner(batch);
  collectGarbage(MINOR_SYNC);
  return cpuNow() - before;
}

/**
 * Times synchronous tasks in the same process, interleaved: within every round the tasks take
 * turns batch by batch (in an order rotated each round), so a slow patch of the machine hits all
 * of them alike. Each task is timed in
 * CPU time of this process (`process.cpuUsage()`), not wall time: on a shared machine the time
 * the process spends descheduled is not the code's cost. Each task must already have been checked
 * to do its real work (see `checkOnce` callers).
 */
export async function timeTasks(
  tasks: Record<string, () => unknown>,
  budget: TimingBudget,
): Promise<Record<string, TaskTiming>> {
  const names = Object.keys(tasks);
  const runners = Object.fromEntries(names.map((name) => [name, batchRunner(tasks[name])]));
  const batches = Object.fromEntries(names.map((name) => [name, calibrate(tasks[name])]));
  const perRound: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  // A longer first warm-up, every task in turn: V8 keeps re-optimising a function for its first
  // few hundred milliseconds of calls, and a first round timed during that swung by up to 1.4x.
  for (let pass = 0; pass < 5; pass++) {
    for (const name of names) {
      const until = performance.now() + budget.warmupMs;
      while (performance.now() < until) timedBatch(runners[name], batches[name]);
    }
  }
  for (let round = 0; round < budget.rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const until = performance.now() + budget.warmupMs;
      while (performance.now() < until) timedBatch(runners[name], batches[name]);
    }
    // Batches of every task take turns (each about 2 ms): a busy or quiet moment of the machine
    // falls on all of them alike, which keeps their ratios steady on a shared machine.
    const cpu = new Map(names.map((name) => [name, 0]));
    const calls = new Map(names.map((name) => [name, 0]));
    const until = performance.now() + budget.timeMs * names.length;
    for (let sample = 0; sample < budget.minSamples || performance.now() < until; sample++) {
      for (const name of order) {
        cpu.set(name, (cpu.get(name) ?? 0) + timedBatch(runners[name], batches[name]));
        calls.set(name, (calls.get(name) ?? 0) + batches[name]);
      }
    }
    for (const name of names) perRound[name].push((cpu.get(name) ?? 0) / (calls.get(name) ?? 1));
    // Let timers and I/O of the process run between rounds.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return Object.fromEntries(
    names.map((name) => [
      name,
      { name, nsPerOp: median(perRound[name]), perRound: perRound[name] },
    ]),
  );
}
