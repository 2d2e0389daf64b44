import {
  ROOT_CONTEXT,
  context,
  createContextKey,
  metrics,
  type Attributes,
  type Context,
  type ContextManager,
  type Histogram,
} from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  MetricReader,
  PeriodicExportingMetricReader,
  type HistogramMetricData,
  type IAttributesProcessor,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlowTelemetry } from '../../lib/telemetry/create-flow-telemetry.js';
import { HISTOGRAM_BATCH_CAPACITY, HistogramBatch } from '../../lib/telemetry/histogram-batch.js';
import { CollectingReader } from './support/in-memory-telemetry.js';

// Histogram points are held in the process and handed to the SDK together. These tests hold
// the batch to what recording each point directly would have given a reader.

/** `[attributes as JSON, count, sum]` of each point of histogram `name`, in collection order. */
async function histogramPoints(
  reader: MetricReader,
  name: string,
): Promise<Array<[string, number, number]>> {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((candidate) => candidate.descriptor.name === name) as HistogramMetricData | undefined;
  if (metric === undefined) return [];
  expect(metric.dataPointType).toBe(DataPointType.HISTOGRAM);
  return metric.dataPoints
    .map((point): [string, number, number] => [
      JSON.stringify(point.attributes),
      point.value.count,
      point.value.sum ?? Number.NaN,
    ])
    .sort(([a], [b]) => a.localeCompare(b));
}

/** A meter with one histogram and the observable the batch flushes before. */
function batchOn(provider: MeterProvider): { histogram: Histogram; batch: HistogramBatch } {
  const meter = provider.getMeter('histogram-batch-test');
  const histogram = meter.createHistogram('test.duration', { unit: 's' });
  const batch = new HistogramBatch(meter, meter.createObservableCounter('test.count'));
  return { histogram, batch };
}

const FAST: Attributes = { 'flow.handler.name': 'Fast.run' };
const SLOW: Attributes = { 'flow.handler.name': 'Slow.run' };

describe('HistogramBatch', () => {
  const providers: MeterProvider[] = [];
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((provider) => provider.shutdown()));
  });

  it('hands every held point to the SDK before a reader collects, and again after', async () => {
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    providers.push(provider);
    const { histogram, batch } = batchOn(provider);

    batch.record(histogram, 0.5, FAST, ROOT_CONTEXT);
    batch.record(histogram, 0.25, FAST, ROOT_CONTEXT);
    batch.record(histogram, 4, SLOW, ROOT_CONTEXT);
    expect(await histogramPoints(reader, 'test.duration')).toEqual([
      [JSON.stringify(FAST), 2, 0.75],
      [JSON.stringify(SLOW), 1, 4],
    ]);

    batch.record(histogram, 1, SLOW, ROOT_CONTEXT);
    // Cumulative, as a histogram recorded directly reports.
    expect(await histogramPoints(reader, 'test.duration')).toEqual([
      [JSON.stringify(FAST), 2, 0.75],
      [JSON.stringify(SLOW), 2, 5],
    ]);
  });

  it('hands the batch over, oldest first, as soon as it is full, with no reader collecting', () => {
    const provider = new MeterProvider();
    providers.push(provider);
    const { histogram, batch } = batchOn(provider);
    const handed: number[] = [];
    const spy: Histogram = {
      record: (value, attributes, given) => {
        handed.push(value);
        histogram.record(value, attributes, given);
      },
    };

    for (let value = 0; value < HISTOGRAM_BATCH_CAPACITY - 1; value++) {
      batch.record(spy, value, FAST, ROOT_CONTEXT);
    }
    expect(handed).toEqual([]);
    batch.record(spy, HISTOGRAM_BATCH_CAPACITY - 1, FAST, ROOT_CONTEXT);
    expect(handed).toEqual(Array.from({ length: HISTOGRAM_BATCH_CAPACITY }, (_, value) => value));
    // Held again from an empty batch: memory stays bounded by the capacity.
    batch.record(spy, -1, FAST, ROOT_CONTEXT);
    expect(handed).toHaveLength(HISTOGRAM_BATCH_CAPACITY);
  });

  it('gives each of two readers every point, whichever collects first', async () => {
    const [first, second] = [new CollectingReader(), new CollectingReader()];
    const provider = new MeterProvider({ readers: [first, second] });
    providers.push(provider);
    const { histogram, batch } = batchOn(provider);

    batch.record(histogram, 2, SLOW, ROOT_CONTEXT);
    batch.record(histogram, 3, SLOW, ROOT_CONTEXT);
    expect(await histogramPoints(first, 'test.duration')).toEqual([[JSON.stringify(SLOW), 2, 5]]);
    expect(await histogramPoints(second, 'test.duration')).toEqual([[JSON.stringify(SLOW), 2, 5]]);
  });

  it('exports what it holds when the MeterProvider shuts down', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const provider = new MeterProvider({
      readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })],
    });
    const { histogram, batch } = batchOn(provider);

    batch.record(histogram, 0.125, FAST, ROOT_CONTEXT);
    batch.record(histogram, 0.375, FAST, ROOT_CONTEXT);
    await provider.shutdown();

    const exported = exporter
      .getMetrics()
      .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics))
      .filter((metric) => metric.descriptor.name === 'test.duration') as HistogramMetricData[];
    expect(exported.flatMap((metric) => metric.dataPoints.map((point) => point.value))).toEqual([
      expect.objectContaining({ count: 2, sum: 0.5 }),
    ]);
  });
});

/** Runs `fn` with `active` as the active context, synchronously: enough for these tests. */
class StackContextManager implements ContextManager {
  #stack: Context[] = [ROOT_CONTEXT];
  active(): Context {
    return this.#stack[this.#stack.length - 1];
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    active: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    this.#stack.push(active);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#stack.pop();
    }
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#stack = [ROOT_CONTEXT];
    return this;
  }
}

describe('the recorder through its batch', () => {
  afterEach(() => {
    metrics.disable();
    context.disable();
  });

  it('records each point with the context that was active when it was taken', async () => {
    const TENANT = createContextKey('test tenant');
    // A View's attributes processor is where the SDK reads the context a point was recorded in.
    const tenantFromContext: IAttributesProcessor = {
      process: (attributes, given) => ({
        ...attributes,
        tenant: (given?.getValue(TENANT) as string | undefined) ?? 'none',
      }),
    };
    const reader = new CollectingReader();
    const provider = new MeterProvider({
      readers: [reader],
      views: [
        {
          instrumentName: 'flow.webhook.handler.duration',
          attributesProcessors: [tenantFromContext],
        },
      ],
    });
    context.setGlobalContextManager(new StackContextManager());
    metrics.setGlobalMeterProvider(provider);
    try {
      const recorder = createFlowTelemetry();
      expect(recorder.enabled).toBe(true);
      context.with(ROOT_CONTEXT.setValue(TENANT, 'acme'), () =>
        recorder.handlerRan('flow_session.status.updated', 'Kyc.onUpdate', 0.25),
      );
      context.with(ROOT_CONTEXT.setValue(TENANT, 'globex'), () =>
        recorder.handlerRan('flow_session.status.updated', 'Kyc.onUpdate', 0.5),
      );
      recorder.handlerRan('flow_session.status.updated', 'Kyc.onUpdate', 1);

      const points = await histogramPoints(reader, 'flow.webhook.handler.duration');
      const by = (tenant: string) =>
        JSON.stringify({
          'flow.event.name': 'flow_session.status.updated',
          'flow.handler.name': 'Kyc.onUpdate',
          tenant,
        });
      expect(points).toEqual(
        [
          [by('acme'), 1, 0.25],
          [by('globex'), 1, 0.5],
          [by('none'), 1, 1],
        ].sort(([a], [b]) => String(a).localeCompare(String(b))),
      );
    } finally {
      await provider.shutdown();
    }
  });
});
