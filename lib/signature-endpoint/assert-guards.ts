import type { CanActivate, Type } from '@nestjs/common';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';

const HOW_TO_FIX =
  'Pass your auth guard: signatureEndpoint: { guards: [JwtAuthGuard] } (a class such as ' +
  "AuthGuard('jwt') or an instance), with signatureEndpoint.imports for the modules it needs, " +
  "or guards: 'global' when the app's APP_GUARD authenticates every route. " +
  'Or set signatureEndpoint.enabled to false and call FlowSigner.sign() from your own guarded route.';

/**
 * Checks the host gave at least one usable guard, or `'global'` (whose global guard is checked at
 * start-up by FlowGlobalGuardsCheck). The route never runs unguarded, so there is no option
 * to skip this: a missing or broken guard stops the application from starting.
 */
export function assertGuards(
  guards: unknown,
): asserts guards is Array<Type<CanActivate> | CanActivate> | 'global' {
  if (guards === 'global') return;
  if (!Array.isArray(guards) || guards.length === 0) {
    throw new FlowConfigurationError(
      'missing_guard',
      `The Flow signature endpoint is enabled without guards, so anyone could fetch a signature. ${HOW_TO_FIX}`,
    );
  }
  guards.forEach((guard: unknown, index) => {
    // A class must declare canActivate() on its prototype: Nest 11 silently skips a bound class
    // whose instance has none (a Passport strategy given for its guard), leaving the route public.
    const usable =
      typeof guard === 'function'
        ? typeof (guard.prototype as Partial<CanActivate> | undefined)?.canActivate === 'function'
        : typeof guard === 'object' &&
          guard !== null &&
          typeof (guard as CanActivate).canActivate === 'function';
    if (!usable) {
      throw new FlowConfigurationError(
        'missing_guard',
        `signatureEndpoint.guards[${index}] is ${guard === undefined ? 'undefined (often a circular import)' : 'not a guard'}: ` +
          `give a guard class with a canActivate() method or an object with canActivate(). ${HOW_TO_FIX}`,
      );
    }
  });
}
