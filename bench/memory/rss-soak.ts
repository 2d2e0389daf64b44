import type { MemoryPlan } from '../plan.js';
import { ratioFigure, type Figure } from '../support/figures.js';
import { BENCH_ROUTES } from '../http/bench-apps.js';
import { runLoad, webhookRequest } from '../http/load.js';
import { startServer } from '../http/servers.js';

const MiB = 2 ** 20;
/** The store's default cap: filled before the load so the soak shows the steady state. */
const STORE_CAP = 100_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/**
 * RSS of the receiver (default memory store, filled to its cap first) over a sustained load of
 * unique deliveries, sampled every second; growth is judged after the warm-up.
 */
export async function rssSoak(plan: MemoryPlan, notes: string[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const [platform, label] of [
    ['express', 'Express'],
    ['fastify', 'Fastify'],
  ] as const) {
    const server = await startServer({ app: 'receiver', platform, prefillIds: STORE_CAP }, [
      '--expose-gc',
    ]);
    try {
      const samples: Array<{ at: number; rss: number }> = [];
      const start = Date.now();
      const sample = async () => {
        const memory = await server.ask<{ rss: number }>({ type: 'memory' });
        samples.push({ at: (Date.now() - start) / 1000, rss: memory.rss });
      };
      await sample();
      // The live heap (after a forced GC) tells a leak from a heap V8 simply lets grow.
      const heapAfterGc = async () =>
        (await server.ask<{ heapUsed: number }>({ type: 'memory', gc: true })).heapUsed;
      let heapAtWarmup = Number.NaN;
      const timer = setInterval(() => void sample().catch(() => undefined), 1000);
      const warmupTimer = setTimeout(
        () => void heapAfterGc().then((heap) => (heapAtWarmup = heap)),
        plan.soakWarmupSeconds * 1000,
      );
      let result;
      try {
        result = await runLoad(
          { url: server.url, request: webhookRequest(BENCH_ROUTES.receiver) },
          { connections: 16, seconds: plan.soakSeconds },
        );
      } finally {
        clearInterval(timer);
        clearTimeout(warmupTimer);
      }
      await sample();
      const heapAtEnd = await heapAfterGc();
      const warm = samples.find((s) => s.at >= plan.soakWarmupSeconds) ?? samples[0];
      const end = samples[samples.length - 1];
      const peak = Math.max(...samples.filter((s) => s.at >= warm.at).map((s) => s.rss));
      // RSS swings with GC: compare the median of the last 5 s of warm-up (before the forced GC
      // taken at its end, which shrinks the heap) with that of the last 5 s of the load.
      const windowMedian = (from: number, to: number) =>
        median(samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.rss));
      const rssAfterWarmup = windowMedian(warm.at - 5.5, warm.at - 0.5);
      const rssAtEnd = windowMedian(end.at - 5, end.at);
      figures.push(
        ratioFigure(
          {
            section: 'Memory',
            subject: `receiver heap after forced GC at the end of the load, ${label}`,
            baseline: `the same at ${plan.soakWarmupSeconds} s (end of warm-up)`,
            unit: 'MiB',
            target: { kind: 'max', value: 1.05 },
          },
          heapAtEnd / MiB,
          heapAtWarmup / MiB,
        ),
        ratioFigure(
          {
            section: 'Memory',
            subject: `receiver RSS over the last 5 s of ${plan.soakSeconds} s of unique deliveries, ${label} (${Math.round(result['2xx'] / result.seconds).toLocaleString('en-US')} req/s)`,
            baseline: `RSS over ${Math.round(warm.at) - 5}–${Math.round(warm.at)} s (end of warm-up), medians of 1 s samples`,
            unit: 'MiB',
            target: { kind: 'max', value: 1.05 },
          },
          rssAtEnd / MiB,
          rssAfterWarmup / MiB,
        ),
      );
      notes.push(
        `Receiver RSS, ${label}, every 5 s (MiB): ${samples
          .filter((s, i) => i % 5 === 0 || s === end)
          .map((s) => `${Math.round(s.at)} s ${(s.rss / MiB).toFixed(0)}`)
          .join(', ')}; peak after warm-up ${(peak / MiB).toFixed(0)}.`,
      );
    } finally {
      await server.stop();
    }
  }
  return figures;
}
