import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';

/**
 * What the bench registers: `metrics` a MeterProvider alone; `traces` that and a TracerProvider
 * sampling every span; `ratio` that with a parent-based sampler keeping one root in ten.
 */
export type BenchSdkMode = 'metrics' | 'traces' | 'ratio';

/** The share of deliveries the `ratio` mode samples. */
export const BENCH_SAMPLED_RATIO = 0.1;

/**
 * Registers OpenTelemetry's SDK as a host would, with in-memory exporters: metrics collected
 * every second, spans exported in batches (what docs/telemetry.md shows). What they hold is
 * dropped every second, so the load measures recording and exporting, not a growing heap.
 */
export function registerBenchSdk(mode: BenchSdkMode): void {
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 1000 }),
    ],
  });
  metrics.setGlobalMeterProvider(meterProvider);
  const spanExporter = new InMemorySpanExporter();
  if (mode !== 'metrics') {
    const sampler =
      mode === 'ratio'
        ? new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(BENCH_SAMPLED_RATIO) })
        : undefined;
    const tracerProvider = new BasicTracerProvider({
      ...(sampler === undefined ? {} : { sampler }),
      spanProcessors: [new BatchSpanProcessor(spanExporter)],
    });
    trace.setGlobalTracerProvider(tracerProvider);
  }
  setInterval(() => {
    metricExporter.reset();
    spanExporter.reset();
  }, 1000).unref();
}
