import {
  Controller,
  Get,
  Header,
  Req,
  UseGuards,
  type CanActivate,
  type Type,
} from '@nestjs/common';
import type { FlowSignatureResponse } from './flow-signature-response.js';
import { FlowSignatureHandler } from './flow-signature.handler.js';

// Each built class gets its own name: Nest identifies dynamic modules partly by the class names
// they hold, and two FlowModule registrations must never be merged into one. The first keeps the
// plain name, which is what Nest's route log shows in an app with one registration.
let built = 0;

/**
 * Makes a new controller class (the `mixin()` pattern of `@nestjs/passport`) with the host's
 * guards attached by decorators now, before Nest scans modules. Nest then registers the guard
 * classes as injectables of FlowModule; a guard added to metadata after scanning would be
 * skipped and the route would be public.
 */
export function createFlowSignatureController(
  guards: Array<Type<CanActivate> | CanActivate>,
  path: string,
): Type<FlowSignatureHandler> {
  @Controller()
  @UseGuards(...guards)
  class FlowSignatureController extends FlowSignatureHandler {
    @Get(path)
    @Header('Cache-Control', 'no-store')
    currentUserSignature(@Req() request: unknown): Promise<FlowSignatureResponse> {
      return this.currentUserFlowConfig(request);
    }
  }
  built += 1;
  Object.defineProperty(FlowSignatureController, 'name', {
    value: built === 1 ? 'FlowSignatureController' : `FlowSignatureController${built}`,
  });
  return FlowSignatureController;
}
