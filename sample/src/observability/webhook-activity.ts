/** Deliveries by outcome and refusals by reason, as the page's chart draws them. */
export interface WebhookActivity {
  /** `flow.webhook.deliveries` summed by `flow.delivery.outcome`. */
  deliveries: Record<string, number>;
  /** `flow.webhook.refusals` summed by `flow.refusal.reason`. */
  refusals: Record<string, number>;
}

/** The part of OpenTelemetry's collected metrics this file reads. */
interface CollectedMetrics {
  scopeMetrics: Array<{
    metrics: Array<{
      descriptor: { name: string };
      dataPoints: Array<{ attributes: Record<string, unknown>; value: unknown }>;
    }>;
  }>;
}

/** Sums the data points of the metric `name` by the value of `attribute`. */
function sumBy(
  collected: CollectedMetrics,
  name: string,
  attribute: string,
): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const scope of collected.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== name) continue;
      for (const point of metric.dataPoints) {
        const value = point.attributes[attribute];
        const key = typeof value === 'string' ? value : 'unknown';
        if (typeof point.value === 'number') sums[key] = (sums[key] ?? 0) + point.value;
      }
    }
  }
  return sums;
}

/** The chart's figures from one collection of the Prometheus reader. */
export function webhookActivity(collected: CollectedMetrics): WebhookActivity {
  return {
    deliveries: sumBy(collected, 'flow.webhook.deliveries', 'flow.delivery.outcome'),
    refusals: sumBy(collected, 'flow.webhook.refusals', 'flow.refusal.reason'),
  };
}
