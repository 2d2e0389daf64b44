import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { globalGuardClasses } from '../routing/global-guards.js';

/** Token of the signature route's guards as the host gave them (a list, or `'global'`). */
export const FLOW_SIGNATURE_GUARDS = Symbol('FLOW_SIGNATURE_GUARDS');

/** Refusal at start-up: `guards: 'global'` in an app where no global guard can be found. */
export const NO_GLOBAL_GUARD_MESSAGE =
  "signatureEndpoint.guards is 'global', but the app registers no global guard as an APP_GUARD " +
  'provider, so the signature route would rely on nothing. Provide your auth guard with { provide: ' +
  'APP_GUARD, useClass: JwtAuthGuard } in a module of the app, or list it on the route: ' +
  'signatureEndpoint: { guards: [JwtAuthGuard] }. Guards given to app.useGlobalGuards(), and ' +
  'request-scoped APP_GUARD providers, cannot be seen at start-up: list those on the route.';

/** The class of a guard given on the route (a class, or an instance's exact constructor). */
function routeGuardClass(guard: Type<CanActivate> | CanActivate): unknown {
  return typeof guard === 'function' ? guard : (guard as object).constructor;
}

/**
 * Checks, when the app starts, what the signature route's guards rely on. With `guards: 'global'`
 * it refuses to start unless the app registers a global guard (`APP_GUARD`). With a list it warns
 * about a guard class that is also global: Nest runs it twice (global, then on the route), and
 * `guards: 'global'` runs it once. Classes match by identity, never `instanceof`: a subclass
 * is another guard, which may check something else.
 */
@Injectable()
export class FlowGlobalGuardsCheck implements OnModuleInit {
  private readonly logger = new Logger('FlowSignatureEndpoint');

  constructor(
    @Inject(FLOW_SIGNATURE_GUARDS)
    private readonly guards: ReadonlyArray<Type<CanActivate> | CanActivate> | 'global',
    private readonly discovery: DiscoveryService,
  ) {}

  /** @throws FlowConfigurationError `missing_guard` for `'global'` without a global guard. */
  onModuleInit(): void {
    const globals = globalGuardClasses(this.discovery);
    if (this.guards === 'global') {
      if (globals.length === 0)
        throw new FlowConfigurationError('missing_guard', NO_GLOBAL_GUARD_MESSAGE);
      return;
    }
    const globalClasses = new Set(globals);
    const both = this.guards
      .map(routeGuardClass)
      .filter((type): type is Type => typeof type === 'function' && globalClasses.has(type));
    if (both.length === 0) return;
    const names = [...new Set(both.map((type) => type.name))].join(', ');
    this.logger.warn(
      `The global guard (APP_GUARD) ${names} is also listed in signatureEndpoint.guards, so Nest ` +
        'runs it twice on the signature route. If the global one already authenticates that ' +
        "route, set signatureEndpoint: { guards: 'global' } instead.",
    );
  }
}
