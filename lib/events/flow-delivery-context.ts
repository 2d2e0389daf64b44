import type { ContextId, ModuleRef } from '@nestjs/core';
import { ContextIdFactory } from '@nestjs/core';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import { createFlowEventContext, type FlowEventContext } from './flow-event-context.js';

/**
 * One delivery's DI context, shared by all its request-scoped handlers: made on first use (a
 * delivery with singleton handlers only never makes one) with a fresh context id, and with the
 * delivery's HTTP request (or, when the host's route passed none, the event) registered as
 * `REQUEST`. Nest keeps a context's instances in weak maps keyed by the id, so they are released
 * with this object once the delivery ends.
 */
export class FlowDeliveryContext {
  #contextId?: ContextId;

  constructor(
    private readonly moduleRef: ModuleRef,
    readonly event: FlowWebhookEvent,
    readonly request?: unknown,
    /** What the handlers receive as their second argument (`fetchSession()`). */
    readonly eventContext: FlowEventContext = createFlowEventContext(event, undefined),
  ) {}

  /** The delivery's context id, registering the request on first use. */
  get contextId(): ContextId {
    if (this.#contextId === undefined) {
      // A fresh id, never one derived from the request: a durable provider must not get an
      // instance shared with the host's own requests (or kept from a previous delivery).
      const contextId = ContextIdFactory.create();
      this.moduleRef.registerRequestByContextId(this.request ?? this.event, contextId);
      this.#contextId = contextId;
    }
    return this.#contextId;
  }
}
