import { Injectable, Logger } from '@nestjs/common';
import {
  FlowApiError,
  OnFlowEvent,
  type FlowEventContext,
  type FlowSessionStatusUpdatedEvent,
  type FlowSessionStepUpdatedEvent,
} from '../../../lib/index.js';
import { findDemoUserById } from '../auth/demo-users.js';
import { KycStatusStore } from './kyc-status.store.js';

/**
 * Records verification statuses from Flow's webhooks. FlowModule's receiver has already verified
 * the signature and claimed the event id, so this runs once per event; the store's own check by
 * id keeps the history exact even if a handler is retried after a crash.
 *
 * When Cognito's API is configured (FLOW_API_KEY), the status recorded is the one the API gives
 * for the session now, not the one the webhook carried: webhooks are not delivered in order, so a
 * late `failed` may arrive after a `success`, and only the API says where the session stands.
 */
@Injectable()
export class KycEventsHandler {
  private readonly logger = new Logger('KycEventsHandler');

  constructor(private readonly store: KycStatusStore) {}

  /** A session's status changed: record it for the user it belongs to. */
  @OnFlowEvent('flow_session.status.updated')
  async onStatusUpdated(
    event: FlowSessionStatusUpdatedEvent,
    context: FlowEventContext,
  ): Promise<void> {
    const customerReference = event.data.customer_reference;
    // Only the demo users exist here; an event for anyone else is acknowledged and not stored,
    // which also keeps this in-memory store bounded.
    if (!findDemoUserById(customerReference)) {
      this.logger.warn(
        `Event ${event.id} is for a customer reference this sample does not know; ignored.`,
      );
      return;
    }
    let status = String(event.data.status);
    let at = String(event.timestamp);
    // Any other failure throws: the delivery is answered 5xx and Cognito sends it again later.
    const session = await context.fetchSession().catch((error: unknown) => {
      if (error instanceof FlowApiError && error.code === 'not_configured') return undefined;
      throw error;
    });
    if (session !== undefined) {
      if (session.customer_reference !== customerReference) {
        this.logger.warn(`Event ${event.id}: the API's session belongs to another user; ignored.`);
        return;
      }
      status = String(session.status);
      // The API's answer is the newest knowledge: it is dated when it was read.
      at = new Date().toISOString();
    }
    const applied = this.store.apply(customerReference, {
      eventId: event.id,
      event: event.event,
      status,
      at,
    });
    if (applied) this.logger.log(`Event ${event.id}: status '${status}' recorded.`);
  }

  /** A step of a session changed: recorded in the history, the status stays as it is. */
  @OnFlowEvent('flow_session.step.updated')
  onStepUpdated(event: FlowSessionStepUpdatedEvent): void {
    const customerReference = event.data.customer_reference;
    if (!findDemoUserById(customerReference)) return;
    this.store.apply(
      customerReference,
      {
        eventId: event.id,
        event: event.event,
        status: String(event.data.status),
        at: String(event.timestamp),
        step: String(event.data.step),
      },
      false,
    );
  }
}
