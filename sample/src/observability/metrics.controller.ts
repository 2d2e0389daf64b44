import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Req, Res } from '@nestjs/common';
import { samplePrometheusExporter } from './prometheus-metrics.js';

/**
 * `GET /metrics`: the Prometheus text of every OpenTelemetry metric, FlowModule's included. Open
 * in this development sample, which listens on loopback; a production app serves it on a port or
 * path its scraper alone can reach.
 */
@Controller('metrics')
export class MetricsController {
  /** Writes the exporter's answer (text/plain, the current counts) to the response. */
  @Get()
  metrics(@Req() request: IncomingMessage, @Res() response: ServerResponse): void {
    samplePrometheusExporter().getMetricsRequestHandler(request, response);
  }
}
