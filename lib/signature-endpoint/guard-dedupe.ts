import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { ApplicationConfig, ModuleRef } from '@nestjs/core';
import { runOncePerRequest } from './once-per-request.js';

/** Token of the signature route's guard list, as the host gave it. */
export const FLOW_SIGNATURE_GUARDS = Symbol('FLOW_SIGNATURE_GUARDS');

/**
 * Lets a guard that is both global (`APP_GUARD`, `app.useGlobalGuards()`) and in
 * `signatureEndpoint.guards` run once per request (one JWT check, one rate-limit hit). At start-up
 * it wraps the matching global instances and the route's own instances with
 * {@link runOncePerRequest}, which skips the second call only when the first one ran on the same
 * request and allowed it. A guard added globally after `app.init()`, or request-scoped, is not
 * wrapped and simply runs twice.
 */
@Injectable()
export class FlowGuardDedupe implements OnModuleInit {
  private readonly logger = new Logger('FlowSignatureEndpoint');

  constructor(
    @Inject(FLOW_SIGNATURE_GUARDS)
    private readonly guards: ReadonlyArray<Type<CanActivate> | CanActivate>,
    private readonly config: ApplicationConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Wraps the guards; runs before the app listens. */
  onModuleInit(): void {
    const classes = this.guards.filter(
      (guard): guard is Type<CanActivate> => typeof guard === 'function',
    );
    const instances = this.guards.filter((guard) => typeof guard !== 'function');
    const shared: string[] = [];
    for (const global of this.config.getGlobalGuards()) {
      const type = (global as object).constructor as Type<CanActivate>;
      // An instance is matched by identity only; a class by its exact constructor.
      const keys = [
        ...(instances.includes(global) ? [global] : []),
        ...(classes.includes(type) ? [type] : []),
      ];
      if (keys.length === 0) continue;
      runOncePerRequest(global, keys);
      shared.push(type.name);
    }
    if (shared.length === 0) return;
    for (const type of classes) {
      const routeGuard = this.routeInstance(type);
      if (routeGuard) runOncePerRequest(routeGuard, [type]);
    }
    // Instances given in guards are the very objects global, already wrapped above when shared.
    this.logger.debug(
      `${shared.join(', ')} guard${shared.length > 1 ? 's' : ''} the app globally and the signature ` +
        'route: each runs once per request (the route skips it only after it let that request through).',
    );
  }

  /** FlowModule's own instance of a guard class (the one Nest put on the route), if static. */
  private routeInstance(type: Type<CanActivate>): CanActivate | undefined {
    try {
      const instance: unknown = this.moduleRef.get(type, { strict: true });
      return typeof (instance as CanActivate | undefined)?.canActivate === 'function'
        ? (instance as CanActivate)
        : undefined;
    } catch {
      // Request-scoped or transient: a new instance per request, left as it is (runs twice).
      return undefined;
    }
  }
}
