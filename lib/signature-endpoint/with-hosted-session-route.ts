import {
  HttpCode,
  Inject,
  NotFoundException,
  Optional,
  Post,
  Req,
  Res,
  type Type,
} from '@nestjs/common';
import { FlowApiClient } from '../api/flow-api-client.js';
import type { FlowTelemetry } from '../telemetry/flow-telemetry.js';
import { FLOW_TELEMETRY } from '../telemetry/telemetry.constants.js';
import { countRouteAnswer } from './route-answer-telemetry.js';
import { currentUserHostedSession, hostedSessionLog } from './flow-hosted-session.js';
import type { FlowHostedSessionResponse } from './flow-hosted-session-response.js';
import type { FlowSignatureHandler } from './flow-signature.handler.js';
import { PrivateFlowResponse, sendPrivately } from './private-response.js';

/**
 * Extends a built signature controller with `POST <path>`: the class inherits the controller's
 * decorators (its guards above all), so both routes stand behind the same guards and resolver.
 * It answers through the same private path as the signature route: the answer is a bearer link
 * to the user's session, so no host interceptor (a cache, a body logger) may see it.
 */
export function withHostedSessionRoute(
  base: Type<FlowSignatureHandler>,
  path: string,
): Type<FlowSignatureHandler> {
  class FlowHostedSessionController extends base {
    // A property, not a constructor parameter: the base's constructor stays the handler's own.
    @Inject(FlowApiClient) private readonly flowApi!: FlowApiClient;
    @Optional() @Inject(FLOW_TELEMETRY) private readonly hostedTelemetry?: FlowTelemetry;
    /** This route's bounded log, held by the controller instance. */
    private readonly hostedLog = hostedSessionLog();

    @Post(path)
    @HttpCode(200)
    @PrivateFlowResponse()
    currentUserHostedSession(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return sendPrivately(response, this.hostedSessionOf(request));
    }

    /** The session of the user `request` belongs to. */
    private async hostedSessionOf(request: unknown): Promise<FlowHostedSessionResponse> {
      const endpoint = this.options.signatureEndpoint;
      if (!endpoint) throw new NotFoundException();
      const answer = currentUserHostedSession(endpoint, this.flowApi, request, this.hostedLog);
      return countRouteAnswer(this.hostedTelemetry, 'hosted_session', answer);
    }
  }
  Object.defineProperty(FlowHostedSessionController, 'name', {
    value: `${base.name}WithHostedSession`,
  });
  return FlowHostedSessionController;
}
