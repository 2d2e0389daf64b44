import { Injectable, VERSION_NEUTRAL } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import type { FlowRouteVersion } from '../routing/route-shape.js';

/** Token of one FlowModule registration's description. */
export const FLOW_REGISTRATION = Symbol('FLOW_REGISTRATION');

/** One route a registration adds. */
export interface FlowRegisteredRoute {
  /** HTTP method. */
  readonly method: 'GET' | 'POST';
  /** Path as configured. */
  readonly path: string;
  /** Declared version (`VERSION_NEUTRAL` by default). */
  readonly version: FlowRouteVersion | undefined;
  /** The option that set it, for messages. */
  readonly option: string;
}

/** What a registration is, for start-up checks and their messages. */
export interface FlowRegistration {
  /** `forRoot` or `forRootAsync`. */
  readonly kind: 'forRoot' | 'forRootAsync';
  /** The routes it adds. */
  readonly routes: readonly FlowRegisteredRoute[];
}

/** The modules container's module entries, as far as this check reads them. */
interface ModuleEntry {
  readonly metatype?: { readonly name?: string } | null;
  readonly imports: Set<unknown>;
  readonly providers: Map<unknown, { readonly instance: unknown }>;
}

function routeKey(route: FlowRegisteredRoute): string {
  const path = route.path.replace(/^\/+|\/+$/g, '');
  const versions = [route.version ?? VERSION_NEUTRAL]
    .flat()
    .map((version) => (version === VERSION_NEUTRAL ? '(neutral)' : String(version)))
    .sort();
  return `${route.method} /${path} version ${versions.join('|')}`;
}

/**
 * Refuses, at start-up, two FlowModule registrations of one app that add the same route: the
 * second would shadow the first (or the other way round, by platform) without a word. The error
 * names both registrations by the module that imports each.
 */
@Injectable()
export class FlowRegistrationCheck {
  /**
   * Checks every registration of the app once, while Nest builds providers: every module is
   * scanned by then, and no route is registered yet (Fastify would fail on the duplicate first,
   * with a message that names neither registration).
   */
  constructor(container: ModulesContainer) {
    // Each registration checks the whole app (a few map reads): the first to meet a duplicate
    // stops the start, so no state is kept between registrations.
    const modules = [...container.values()] as unknown as ModuleEntry[];
    const seen = new Map<string, string>();
    for (const module of modules) {
      const registration = module.providers.get(FLOW_REGISTRATION)?.instance as
        FlowRegistration | undefined;
      if (!registration) continue;
      const importers = modules
        .filter((other) => other.imports.has(module))
        .map((other) => other.metatype?.name ?? 'a module');
      const name = `FlowModule.${registration.kind}() imported by ${importers.join(', ') || 'the root'}`;
      for (const route of registration.routes) {
        const key = routeKey(route);
        const first = seen.get(key);
        if (first !== undefined) {
          throw new FlowConfigurationError(
            'invalid_option',
            `Two FlowModule registrations add the route ${key}: ${first} and ${name} ` +
              `(${route.option}). Register FlowModule once (isGlobal: true shares it), or give ` +
              'the second registration another path.',
          );
        }
        seen.set(key, name);
      }
    }
  }
}
