import { Injectable, Logger } from '@nestjs/common';
import {
  OnFlowEvent,
  type FlowSessionStatusUpdatedEvent,
  type FlowSessionStepUpdatedEvent,
} from '../../../lib/index.js';
import { findDemoUserById } from '../auth/demo-users.js';
import { KycStatusStore } from './kyc-status.store.js';

/**
 * Records verification statuses from Flow's webhooks. FlowModule's receiver has already verified
 * the signature and claimed the event id, so this runs once per event; the store's own check by
 * id keeps the history exact even if a handler is retried after a crash.
 */
@Injectable()
export class KycEventsHandler {
  private readonly logger = new Logger('KycEventsHandler');

  constructor(private readonly store: KycStatusStore) {}

  /** A session's status changed: record it for the user it belongs to. */
  @OnFlowEvent('flow_session.status.updated')
  onStatusUpdated(event: FlowSessionStatusUpdatedEvent): void {
    const customerReference = event.data.customer_reference;
    // Only the demo users exist here; an event for anyone else is acknowledged and not stored,
    // which also keeps this in-memory store bounded.
    if (!findDemoUserById(customerReference)) {
      this.logger.warn(
        `Event ${event.id} is for a customer reference this sample does not know; ignored.`,
      );
      return;
    }
    const applied = this.store.apply(customerReference, {
      eventId: event.id,
      event: event.event,
      status: String(event.data.status),
      at: String(event.timestamp),
    });
    if (applied)
      this.logger.log(`Event ${event.id}: status '${String(event.data.status)}' recorded.`);
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
