import { Controller, HttpCode, Post, Req, Res, SetMetadata, type Type } from '@nestjs/common';
import { applyRouteDecorators, routeVersion, type FlowRouteShape } from '../routing/route-shape.js';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import { answerFlowDispatch, type FlowResponseHeaders } from '../events/answer-flow-dispatch.js';
import { FlowEventDispatcher } from '../events/flow-event-dispatcher.js';
import { VerifiedFlowEvent } from './verified-flow-event.decorator.js';
import { FlowWebhookRoute } from './flow-webhook-route.decorator.js';
import { FLOW_WEBHOOK_DISPATCHED } from './webhook-route-metadata.js';

/**
 * Builds the built-in receiver: `POST <path>`, verified by `FlowWebhookGuard` (through
 * `@FlowWebhookRoute()`, so host auth guards can tell it apart), dispatched exactly once per event id. A class is made per path because routes are fixed by decorators.
 */
export function createFlowWebhookReceiver(path: string, shape: FlowRouteShape = {}): Type {
  @Controller({ version: routeVersion(shape.version, 'webhook') })
  class FlowWebhookReceiverController {
    constructor(private readonly dispatcher: FlowEventDispatcher) {}

    @Post(path)
    @HttpCode(200)
    @FlowWebhookRoute()
    @SetMetadata(FLOW_WEBHOOK_DISPATCHED, true)
    async receive(
      @VerifiedFlowEvent() event: FlowWebhookEvent,
      @Res({ passthrough: true }) response: FlowResponseHeaders,
      @Req() request: unknown,
    ): Promise<{ outcome: string }> {
      return answerFlowDispatch(await this.dispatcher.dispatch(event, request), response);
    }
  }
  applyRouteDecorators(FlowWebhookReceiverController, shape.decorators ?? []);
  return FlowWebhookReceiverController;
}
