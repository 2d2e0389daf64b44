import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  BatchSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/**
 * Registers OpenTelemetry's SDK as a host would, with in-memory exporters: metrics collected
 * every second, spans exported in batches (what docs/telemetry.md shows). What they hold is dropped every second, so the
 * load measures recording and exporting, not a growing heap.
 */
export function registerBenchSdk(): void {
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 1000 }),
    ],
  });
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(spanExporter)],
  });
  metrics.setGlobalMeterProvider(meterProvider);
  trace.setGlobalTracerProvider(tracerProvider);
  setInterval(() => {
    metricExporter.reset();
    spanExporter.reset();
  }, 1000).unref();
}
