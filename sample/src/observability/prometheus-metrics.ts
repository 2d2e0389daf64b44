import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

let exporter: PrometheusExporter | undefined;

/**
 * The process's Prometheus reader: an OpenTelemetry SDK MeterProvider registered as the global
 * one, read by a PrometheusExporter that starts no server of its own (the app serves `/metrics`).
 * Made once per process: OpenTelemetry keeps one global MeterProvider.
 */
export function samplePrometheusExporter(): PrometheusExporter {
  if (exporter !== undefined) return exporter;
  exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(provider);
  return exporter;
}
