import type { CanActivate, Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';

/** Token of the start-up check that the route's guard classes can be built inside FlowModule. */
export const FLOW_GUARD_DEPENDENCY_CHECK = Symbol('FLOW_GUARD_DEPENDENCY_CHECK');

/** What Nest's UnknownDependenciesException carries (read by shape: it is not a root export). */
interface UnknownDependencies {
  type: unknown;
  context: { index?: number; key?: unknown; name?: unknown };
}

function isUnknownDependencies(error: unknown): error is UnknownDependencies {
  return (
    // RuntimeException leaves `name` as 'Error', so the class is told by its fields.
    error instanceof Error &&
    'type' in error &&
    typeof (error as Partial<UnknownDependencies>).context === 'object'
  );
}

function tokenName(token: unknown): string {
  if (typeof token === 'function') return token.name || 'an anonymous class';
  if (typeof token === 'symbol') return token.toString();
  return String(token);
}

/**
 * A class with the guard's injection metadata (constructor parameters, `@Inject` tokens,
 * optional and property dependencies, scope) but an empty body: resolving it asks Nest for exactly
 * what the guard needs, in FlowModule's scope, without running the guard's constructor.
 */
function probeOf(guard: Type<CanActivate>): Type {
  const probe = class FlowGuardDependencyProbe {};
  for (const key of Reflect.getMetadataKeys(guard) as unknown[]) {
    Reflect.defineMetadata(key, Reflect.getMetadata(key, guard), probe);
  }
  return probe;
}

async function checkGuard(moduleRef: ModuleRef, guard: Type<CanActivate>, index: number) {
  const probe = probeOf(guard);
  try {
    await moduleRef.create(probe);
  } catch (error) {
    // Nest found every constructor dependency but will not build a request-scoped tree outside a
    // request: the guard can be resolved, which is all this check asks.
    if (error instanceof Error && error.constructor.name === 'RequestScopedCreateException') return;
    // Only the guard's own missing dependency is ours to explain; anything deeper is Nest's.
    if (!isUnknownDependencies(error) || error.type !== probe.name) throw error;
    const { index: at, key, name } = error.context;
    const where =
      key === undefined ? `constructor argument ${at ?? '?'}` : `property ${tokenName(key)}`;
    const dependency = tokenName(name);
    throw new FlowConfigurationError(
      'missing_guard_dependency',
      `signatureEndpoint.guards[${index}] (${guard.name}) needs ${dependency} (${where}), which ` +
        `FlowModule cannot resolve. Add the module that provides ${dependency} to ` +
        'signatureEndpoint.imports (for JwtService: imports: [JwtModule.register({ … })]), or ' +
        'make that module global.',
    );
  }
}

/**
 * A provider that resolves each guard class's dependencies before Nest builds the guards: Nest
 * creates a module's providers before its guards, so a missing one is reported here naming
 * `signatureEndpoint.imports`, instead of by Nest's generic "is that module imported" message.
 */
export function guardDependencyCheck(
  guards: ReadonlyArray<Type<CanActivate> | CanActivate>,
): Provider {
  const classes = guards.filter((guard): guard is Type<CanActivate> => typeof guard === 'function');
  return {
    provide: FLOW_GUARD_DEPENDENCY_CHECK,
    useFactory: async (moduleRef: ModuleRef): Promise<true> => {
      for (const [index, guard] of guards.entries()) {
        if (classes.includes(guard as Type<CanActivate>)) {
          await checkGuard(moduleRef, guard as Type<CanActivate>, index);
        }
      }
      return true;
    },
    inject: [ModuleRef],
  };
}
