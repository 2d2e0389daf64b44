import type { Attributes, Context, Histogram, Meter, Observable } from '@opentelemetry/api';

/** Points held before they are handed to the SDK at once: 2 KiB of values, 128 deliveries. */
export const HISTOGRAM_BATCH_CAPACITY = 256;

/**
 * Histogram points held in the process and handed to the SDK in one loop: when the batch is full,
 * and before every collection, so a reader never misses one. Each point keeps the context that was
 * active when it was taken, so the SDK records it as if it had been given then.
 *
 * Why: the SDK hashes a point's attribute set on every `record()`. Spread one per request between
 * the server's own work, that code runs from cold caches and costs several times what it costs in
 * a loop; handed over together, the points cost what the loop does.
 *
 * One per meter (see `flowInstrumentsOf`), shared by every module instance recording to it.
 */
export class HistogramBatch {
  readonly #values = new Float64Array(HISTOGRAM_BATCH_CAPACITY);
  readonly #histograms: Histogram[] = [];
  readonly #attributes: Attributes[] = [];
  readonly #contexts: Context[] = [];
  #size = 0;

  /**
   * @param flushBefore an observable instrument of `meter`: the flush is a batch callback of it,
   *   which the SDK calls before it collects the meter's histograms.
   */
  constructor(meter: Meter, flushBefore: Observable) {
    meter.addBatchObservableCallback(() => this.flush(), [flushBefore]);
  }

  /** Holds one point of `histogram`; hands the batch over when it is full. */
  record(histogram: Histogram, value: number, attributes: Attributes, context: Context): void {
    const at = this.#size++;
    this.#values[at] = value;
    this.#histograms[at] = histogram;
    this.#attributes[at] = attributes;
    this.#contexts[at] = context;
    if (this.#size === HISTOGRAM_BATCH_CAPACITY) this.flush();
  }

  /** Hands every held point to the SDK, oldest first. */
  flush(): void {
    const size = this.#size;
    // Emptied first: a point the SDK refuses with a throw is not handed over twice.
    this.#size = 0;
    for (let at = 0; at < size; at++) {
      this.#histograms[at].record(this.#values[at], this.#attributes[at], this.#contexts[at]);
    }
  }
}
