import type { DynamicModule, Type } from '@nestjs/common';
import type { FlowSignatureEndpointOptions } from '../config/flow-module-options.interface.js';

/** What the signature endpoint adds to FlowModule. Placeholder until the endpoint lands. */
export function signatureEndpointParts(
  endpoint: Partial<FlowSignatureEndpointOptions> | undefined,
): { controllers: Type[]; imports: NonNullable<DynamicModule['imports']> } {
  void endpoint;
  return { controllers: [], imports: [] };
}
