import { metrics, trace } from '@opentelemetry/api';
import {
  DataPointType,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';

/** A reader the test collects from when it wants, instead of on a timer. */
export class CollectingReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** One data point with its metric's name, unit and kind. */
export interface Point {
  metric: string;
  unit: string;
  kind: DataPointType;
  attributes: Record<string, unknown>;
  /** A counter's sum, or a histogram's count. */
  value: number;
  /** A histogram's sum. */
  sum?: number;
}

/** How the tracing side is set up: no TracerProvider at all, or one with this sampler. */
export interface TracingSetup {
  /** False: only the MeterProvider is registered. */
  traces?: boolean;
  /** The TracerProvider's sampler; unset: the SDK's default (every root sampled). */
  sampler?: Sampler;
}

/** The real SDK with in-memory readers, registered as the global providers. */
export class InMemoryTelemetry {
  readonly spans = new InMemorySpanExporter();
  readonly #reader = new CollectingReader();
  readonly #meterProvider = new MeterProvider({ readers: [this.#reader] });
  readonly #tracerProvider: BasicTracerProvider;

  /** Registers both providers globally; `registered: false` keeps them to the side. */
  constructor(registered = true, tracing: TracingSetup = {}) {
    this.#tracerProvider = new BasicTracerProvider({
      ...(tracing.sampler === undefined ? {} : { sampler: tracing.sampler }),
      spanProcessors: [new SimpleSpanProcessor(this.spans)],
    });
    if (registered) {
      metrics.setGlobalMeterProvider(this.#meterProvider);
      if (tracing.traces !== false) trace.setGlobalTracerProvider(this.#tracerProvider);
    }
  }

  /** Every data point collected now. */
  async points(): Promise<Point[]> {
    const { resourceMetrics } = await this.#reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.flatMap((metric: MetricData) =>
        (metric.dataPoints as Array<DataPoint<unknown>>).map((point) => toPoint(metric, point)),
      ),
    );
  }

  /** The instrumentation scopes data points came from. */
  async scopes(): Promise<Array<{ name: string; version?: string }>> {
    const { resourceMetrics } = await this.#reader.collect();
    return resourceMetrics.scopeMetrics.map((scope) => scope.scope);
  }

  /** Every span ended so far. */
  finishedSpans(): ReadableSpan[] {
    return this.spans.getFinishedSpans();
  }

  /** Unregisters the providers and shuts them down. */
  async close(): Promise<void> {
    metrics.disable();
    trace.disable();
    await this.#meterProvider.shutdown();
    await this.#tracerProvider.shutdown();
  }
}

function toPoint(metric: MetricData, point: DataPoint<unknown>): Point {
  const value = point.value as number | { count: number; sum?: number };
  const base = {
    metric: metric.descriptor.name,
    unit: metric.descriptor.unit,
    kind: metric.dataPointType,
    attributes: { ...point.attributes },
  };
  return typeof value === 'number'
    ? { ...base, value }
    : { ...base, value: value.count, sum: value.sum };
}

/** The sum of the points of `metric` whose attributes include `where`. */
export function total(
  points: Point[],
  metric: string,
  where: Record<string, unknown> = {},
): number {
  return points
    .filter((point) => point.metric === metric)
    .filter((point) =>
      Object.entries(where).every(([key, value]) => point.attributes[key] === value),
    )
    .reduce((sum, point) => sum + point.value, 0);
}

/**
 * The points of `metric` summed by the values of `keys`, joined with spaces:
 * `countsBy(points, 'flow.store.operations', 'flow.store.kind', 'flow.store.operation')` gives
 * `{ 'memory claim': 2, … }`. Every point of the metric lands under some key, so an exact
 * `toEqual` also proves nothing else was counted.
 */
export function countsBy(
  points: Point[],
  metric: string,
  ...keys: string[]
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const point of points.filter((candidate) => candidate.metric === metric)) {
    const key = keys.map((name) => String(point.attributes[name])).join(' ');
    counts[key] = (counts[key] ?? 0) + point.value;
  }
  return counts;
}

/** The store operations counted, as `kind operation outcome` (`memory claim ok`). */
export function operations(points: Point[]): Record<string, number> {
  const keys = ['flow.store.kind', 'flow.store.operation', 'flow.store.outcome'];
  return countsBy(points, 'flow.store.operations', ...keys);
}

/** The deliveries counted, as `event outcome` (`flow_session.status.updated processed`). */
export function deliveries(points: Point[]): Record<string, number> {
  return countsBy(points, 'flow.webhook.deliveries', 'flow.event.name', 'flow.delivery.outcome');
}
