import { Controller, Get, Header } from '@nestjs/common';
import { samplePrometheusExporter } from './prometheus-metrics.js';
import { webhookActivity, type WebhookActivity } from './webhook-activity.js';

/** `GET /api/sample/activity`: the counts behind the page's live chart (no identity data). */
@Controller('sample')
export class ActivityController {
  /** Deliveries by outcome and refusals by reason since the app started. */
  @Get('activity')
  @Header('Cache-Control', 'no-store')
  async activity(): Promise<WebhookActivity> {
    const { resourceMetrics } = await samplePrometheusExporter().collect();
    return webhookActivity(resourceMetrics);
  }
}
