import 'reflect-metadata';
import { Controller, HttpCode, Module, Post, UseGuards } from '@nestjs/common';
import {
  FlowModule,
  FlowWebhookGuard,
  VerifiedFlowEvent,
  type FlowEventStore,
  type FlowModuleOptions,
  type FlowWebhookEvent,
  type FlowWebhookOptions,
} from '../../../lib/index.js';
import { fakeAuthGuard, signFlowWebhook } from '../../../lib/testing/index.js';
import {
  RECEIVER_PATH,
  handlerModule,
  listenOnLoopback,
  type EventPlatform,
  type HandlerProbe,
  type RunningFlowApp,
} from '../../support/flow-events-app.js';

/** The host's own guarded route (no dispatcher behind it). */
export const HOST_ROUTE = 'host/flow';

@Controller()
class HostRouteController {
  @Post(HOST_ROUTE)
  @HttpCode(200)
  @UseGuards(FlowWebhookGuard)
  receive(@VerifiedFlowEvent() event: FlowWebhookEvent): { received: string } {
    return { received: event.id };
  }
}

/** The principal the fake auth guard admits: identity data that must never reach telemetry. */
export const PRINCIPAL = {
  id: 'cust-ref-7c1d4e55-2b9a',
  email: 'ada.lovelace@example.org',
  firstName: 'Ada',
  lastName: 'Lovelace',
};

/** Starts an app with the receiver, a host route, the signature and hosted-session routes. */
export async function startTelemetryApp(options: {
  platform: EventPlatform;
  secret: string;
  probe: HandlerProbe;
  store?: FlowEventStore;
  /** Further event-processing options of the receiver (`maxAttempts`, `leaseMs`…). */
  webhook?: Omit<FlowWebhookOptions, 'path' | 'store'>;
  apiKey?: string;
  apiBaseUrl?: string;
  api?: FlowModuleOptions['api'];
  telemetry?: boolean;
}): Promise<RunningFlowApp> {
  const flow: FlowModuleOptions = {
    apiSecret: options.secret,
    apiKey: options.apiKey,
    apiBaseUrl: options.apiBaseUrl,
    api: options.api,
    publishableKey: 'sandbox_publishable_key_0123456789abcdef0123456789abcdef',
    templateId: 'flwtmp_telemetry0001',
    envFallback: false,
    webhook: { ...options.webhook, path: RECEIVER_PATH, store: options.store },
    signatureEndpoint: {
      path: 'flow/signature',
      ...(options.apiKey === undefined ? {} : { hostedSessionPath: 'flow/session' }),
      guards: [fakeAuthGuard(PRINCIPAL)],
      customerReference: (request: unknown) => {
        const user = (request as { user: typeof PRINCIPAL }).user;
        return { customerReference: user.id, email: user.email };
      },
    },
    ...(options.telemetry === undefined ? {} : { telemetry: options.telemetry }),
  };
  @Module({
    imports: [FlowModule.forRoot(flow), handlerModule(options.probe)],
    controllers: [HostRouteController],
  })
  class AppModule {}
  return listenOnLoopback(AppModule, options.platform);
}

/** Sends `event` to the host's own guarded route, signed now; the Authorization header sent. */
export async function deliverToHostRoute(
  baseUrl: string,
  secret: string,
  event: FlowWebhookEvent,
  apiKey?: string,
): Promise<{ status: number; authorization: string }> {
  const body = JSON.stringify(event);
  const headers = signFlowWebhook({ secret, apiKey, path: `/${HOST_ROUTE}`, body });
  const { 'content-length': _length, ...sent } = headers;
  const response = await fetch(`${baseUrl}/${HOST_ROUTE}`, { method: 'POST', headers: sent, body });
  await response.text();
  return { status: response.status, authorization: headers.authorization };
}
