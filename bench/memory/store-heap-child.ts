// Run with --expose-gc: pushes unique ids through the default memory store (claim, then complete,
// as the receiver does) and prints the heap after forced GCs at checkpoints, as one JSON line.
import { randomUUID } from 'node:crypto';
import { MemoryFlowEventStore } from '../../lib/index.js';

const ids = Number(process.argv[2]);
// Quick mode shrinks the cap (default 100 000) so a few ids still pass it several times.
const maxEntries = process.argv[3] ? Number(process.argv[3]) : undefined;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function settledHeap(): number {
  // Two passes: the first may only promote what the second frees.
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

async function run(): Promise<void> {
  const store = new MemoryFlowEventStore(maxEntries === undefined ? {} : { maxEntries });
  const empty = settledHeap();
  const checkpoints: Array<{ ids: number; heapUsed: number; size: number }> = [];
  const every = Math.max(1, Math.floor(ids / 8));
  const doneTtlMs = 7 * 24 * 3600 * 1000;
  for (let i = 1; i <= ids; i++) {
    const id = `whkevt_${String(i).padStart(14, '0')}`;
    const token = randomUUID();
    await store.claim(id, token, 30_000);
    await store.complete(id, token, doneTtlMs);
    if (i % every === 0 || i === ids)
      checkpoints.push({ ids: i, heapUsed: settledHeap(), size: store.size });
  }
  process.stdout.write(`${JSON.stringify({ empty, checkpoints })}\n`);
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
