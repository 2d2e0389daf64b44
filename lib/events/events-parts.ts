import type { DynamicModule, Provider, Type } from '@nestjs/common';

/** What event dispatch and the built-in receiver add to FlowModule. Placeholder until they land. */
export function eventsParts(receiverPath: string | undefined): {
  controllers: Type[];
  imports: NonNullable<DynamicModule['imports']>;
  providers: Provider[];
  exports: NonNullable<DynamicModule['exports']>;
} {
  void receiverPath;
  return { controllers: [], imports: [], providers: [], exports: [] };
}
