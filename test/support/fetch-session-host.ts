import 'reflect-metadata';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import {
  FlowModule,
  OnFlowEvent,
  type FlowEventContext,
  type FlowWebhookEvent,
} from '../../lib/index.js';
import type { FlowEmulatorKeys } from '../../lib/emulator/index.js';
import { RECEIVER_PATH, listenOnLoopback, type EventPlatform } from './flow-events-app.js';

/** What the host's handler saw: the event, and the session `fetchSession()` answered for it. */
export interface SeenSession {
  event: string;
  eventSessionId: string;
  sessionId: string;
  status: string;
  customerReference: string;
  previousSessionId: string | null;
}

/**
 * The handler a real app writes (docs/api-client.md): each event is confirmed with
 * `fetchSession()`, which throws (and the delivery answers 5xx) when the API does not know the
 * session.
 */
@Injectable()
export class SessionRecorder {
  readonly seen: SeenSession[] = [];

  private async record(event: FlowWebhookEvent, context: FlowEventContext): Promise<void> {
    const session = await context.fetchSession();
    this.seen.push({
      event: event.event,
      eventSessionId: event.data.id,
      sessionId: session.id,
      status: String(session.status),
      customerReference: session.customer_reference,
      previousSessionId: session.previous_session_id ?? null,
    });
  }

  @OnFlowEvent('flow_session.status.updated')
  onStatus(event: FlowWebhookEvent, context: FlowEventContext): Promise<void> {
    return this.record(event, context);
  }

  @OnFlowEvent('flow_session.step.updated')
  onStep(event: FlowWebhookEvent, context: FlowEventContext): Promise<void> {
    return this.record(event, context);
  }

  @OnFlowEvent('flow_session.retried')
  onRetried(event: FlowWebhookEvent, context: FlowEventContext): Promise<void> {
    return this.record(event, context);
  }
}

/** A host app on loopback whose FlowModule calls the emulator's API with the emulator's keys. */
export async function startFetchSessionHost(
  platform: EventPlatform,
  keys: Readonly<FlowEmulatorKeys>,
  apiBaseUrl: string,
): Promise<{ app: INestApplication; webhookUrl: string; recorder: SessionRecorder }> {
  @Module({
    imports: [
      FlowModule.forRoot({
        apiSecret: keys.apiSecret,
        apiKey: keys.apiKey,
        publishableKey: keys.publishableKey,
        templateId: keys.templateId,
        apiBaseUrl,
        webhook: { path: RECEIVER_PATH },
      }),
    ],
    providers: [SessionRecorder],
  })
  class HostModule {}
  const { app, baseUrl } = await listenOnLoopback(HostModule, platform);
  return { app, webhookUrl: `${baseUrl}/${RECEIVER_PATH}`, recorder: app.get(SessionRecorder) };
}
