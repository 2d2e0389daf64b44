import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { MemoryPlan } from '../plan.js';
import { notMeasured, ratioFigure, type Figure } from '../support/figures.js';
import { rssSoak } from './rss-soak.js';

const HEAP_CHILD = fileURLToPath(new URL('./store-heap-child.js', import.meta.url));
const MiB = 2 ** 20;
/** "No growth after warm-up", with room for GC and allocator noise. */
const NO_GROWTH = { kind: 'max', value: 1.05 } as const;

interface HeapRun {
  empty: number;
  checkpoints: Array<{ ids: number; heapUsed: number; size: number }>;
}

/**
 * Figure 4: the heap after forced GC with the default memory store at its cap after `ids` unique
 * ids (in a child with --expose-gc), and the RSS of the receiver over a sustained load.
 */
export async function benchMemory(plan: MemoryPlan, notes: string[]): Promise<Figure[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--expose-gc',
      HEAP_CHILD,
      String(plan.ids),
      ...(plan.storeCap ? [String(plan.storeCap)] : []),
    ],
    {
      maxBuffer: 1024 * 1024,
      timeout: 600_000,
    },
  );
  const run = JSON.parse(stdout) as HeapRun;
  const last = run.checkpoints[run.checkpoints.length - 1];
  const cap = last.size;
  // Warm-up ends at the first checkpoint where the store was full.
  const warm = run.checkpoints.find(
    (checkpoint) => checkpoint.ids >= 2 * cap && checkpoint !== last,
  );
  const section = 'Memory';
  const figures: Figure[] = [
    {
      section,
      subject: `heap after forced GC, memory store at its ${plan.storeCap ? 'reduced ' : ''}cap (${cap.toLocaleString('en-US')} ids) after ${plan.ids.toLocaleString('en-US')} unique ids`,
      baseline: 'heap with the store empty',
      subjectValue: last.heapUsed / MiB,
      baselineValue: run.empty / MiB,
      unit: 'MiB',
      status: 'reported',
      note: `${Math.round((last.heapUsed - run.empty) / cap)} bytes per remembered id`,
    },
  ];
  const growth = {
    section,
    subject: `heap after GC at ${plan.ids.toLocaleString('en-US')} ids`,
    baseline: `heap after GC at ${warm?.ids.toLocaleString('en-US') ?? '?'} ids (store full)`,
    unit: 'MiB' as const,
    target: NO_GROWTH,
  };
  figures.push(
    warm
      ? ratioFigure(growth, last.heapUsed / MiB, warm.heapUsed / MiB)
      : notMeasured(growth, 'too few ids to pass the cap twice'),
  );
  notes.push(
    `Memory store heap after GC by ids pushed through it: ${run.checkpoints
      .map(
        (c) =>
          `${c.ids.toLocaleString('en-US')} → ${(c.heapUsed / MiB).toFixed(1)} MiB (${c.size.toLocaleString('en-US')} kept)`,
      )
      .join('; ')}.`,
  );
  if (plan.soakSeconds > 0) figures.push(...(await rssSoak(plan, notes)));
  return figures;
}
