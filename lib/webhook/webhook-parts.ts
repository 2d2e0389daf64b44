import type { DynamicModule, Provider, Type } from '@nestjs/common';

/** What webhook verification and the receiver add to FlowModule. Placeholder until they land. */
export function webhookParts(receiverPath: string | undefined): {
  controllers: Type[];
  imports: NonNullable<DynamicModule['imports']>;
  providers: Provider[];
  exports: NonNullable<DynamicModule['exports']>;
} {
  void receiverPath;
  return { controllers: [], imports: [], providers: [], exports: [] };
}
