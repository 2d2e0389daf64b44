import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { FlowModule, type FlowEventStore } from '../../lib/index.js';
import { FlowHealthIndicator } from '../../lib/health/index.js';
import {
  listenOnLoopback,
  type EventPlatform,
  type RunningFlowApp,
} from '../support/flow-events-app.js';

/** A host's health controller, as docs/health.md shows it, plus routes for the API check. */
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly flow: FlowHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.flow.checkStore('flow_event_store', { timeoutMs: 2000 })]);
  }

  @Get('api')
  @HealthCheck()
  api() {
    return this.health.check([
      () => this.flow.checkApi('flow_api', { timeoutMs: 800, cacheMs: 0 }),
    ]);
  }

  @Get('api-cached')
  @HealthCheck()
  apiCached() {
    return this.health.check([() => this.flow.checkApi()]);
  }
}

/** What the host app is made with. */
export interface HealthAppOptions {
  platform: EventPlatform;
  secret: string;
  /** The event store; FlowModule's memory store when absent. */
  store?: FlowEventStore;
  apiKey?: string;
  apiBaseUrl?: string;
}

/** Starts a host app with FlowModule, TerminusModule, the controller and the indicator on loopback. */
export async function startHealthApp(options: HealthAppOptions): Promise<RunningFlowApp> {
  @Module({
    imports: [
      FlowModule.forRoot({
        envFallback: false,
        apiSecret: options.secret,
        apiKey: options.apiKey,
        apiBaseUrl: options.apiBaseUrl,
        webhook: options.store === undefined ? {} : { store: options.store },
      }),
      TerminusModule.forRoot({ logger: false }),
    ],
    controllers: [HealthController],
    providers: [FlowHealthIndicator],
  })
  class HostModule {}
  return listenOnLoopback(HostModule, options.platform, { rawBody: false });
}

/** One health answer: status, raw text and parsed body. */
export interface HealthAnswer {
  status: number;
  text: string;
  body: {
    status: string;
    details: Record<string, Record<string, unknown>>;
  };
}

/** GET a health route. */
export async function getHealth(baseUrl: string, path = '/health'): Promise<HealthAnswer> {
  const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as HealthAnswer['body'] };
}
