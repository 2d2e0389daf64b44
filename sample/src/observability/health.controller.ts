import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { FlowHealthIndicator } from '../../../lib/health/index.js';

/** `GET /health`: public, outside the bearer guard. 200 while the event store answers, else 503. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly flow: FlowHealthIndicator,
  ) {}

  /** The event store's check (memory, Redis or PostgreSQL, as the sample was started). */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.flow.checkStore('flow_event_store')]);
  }
}
