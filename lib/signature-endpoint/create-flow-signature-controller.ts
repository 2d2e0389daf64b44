import {
  Controller,
  Get,
  Inject,
  Optional,
  Req,
  Res,
  UseGuards,
  type CanActivate,
  type Type,
} from '@nestjs/common';
import type { FlowTelemetry } from '../telemetry/flow-telemetry.js';
import { FLOW_TELEMETRY } from '../telemetry/telemetry.constants.js';
import { applyRouteDecorators, routeVersion, type FlowRouteShape } from '../routing/route-shape.js';
import { FlowSignatureHandler } from './flow-signature.handler.js';
import { PrivateFlowResponse, sendPrivately } from './private-response.js';
import { countRouteAnswer } from './route-answer-telemetry.js';

/**
 * Makes a new controller class (the `mixin()` pattern of `@nestjs/passport`) with the host's
 * guards attached by decorators now, before Nest scans modules. Nest then registers the guard
 * classes as injectables of FlowModule; a guard added to metadata after scanning would be
 * skipped and the route would be public.
 */
export function createFlowSignatureController(
  guards: Array<Type<CanActivate> | CanActivate> | 'global',
  path: string,
  shape: FlowRouteShape = {},
): Type<FlowSignatureHandler> {
  // 'global': the app's global guards run on every route; start-up checked there is one.
  @Controller({ version: routeVersion(shape.version, 'signatureEndpoint') })
  @UseGuards(...(guards === 'global' ? [] : guards))
  class FlowSignatureController extends FlowSignatureHandler {
    // A property, not a constructor parameter: the base's constructor stays the handler's own.
    @Optional() @Inject(FLOW_TELEMETRY) private readonly flowTelemetry?: FlowTelemetry;

    @Get(path)
    @PrivateFlowResponse()
    currentUserSignature(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      const answer = this.currentUserFlowConfig(request);
      return sendPrivately(response, countRouteAnswer(this.flowTelemetry, 'signature', answer));
    }
  }
  applyRouteDecorators(FlowSignatureController, shape.decorators ?? []);
  // A new class per call, under one name: Nest (11 and later) tells dynamic modules apart by
  // reference, so two registrations stay two without a process-wide counter in the name.
  return FlowSignatureController;
}
