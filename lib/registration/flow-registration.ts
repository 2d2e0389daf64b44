import { Injectable, VERSION_NEUTRAL } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
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

/** A registration as messages name it: how it was made and the options of its routes. */
function registrationName(registration: FlowRegistration): string {
  const options = registration.routes.map((route) => `${route.option} '${route.path}'`);
  return `FlowModule.${registration.kind}() with ${options.join(', ')}`;
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
 * names both registrations by how they were made and by the options of their routes.
 */
@Injectable()
export class FlowRegistrationCheck {
  /**
   * Checks every registration of the app once, while Nest builds providers: every module is
   * scanned by then, and no route is registered yet (Fastify would fail on the duplicate first,
   * with a message that names neither registration). Registrations are found with
   * `DiscoveryService`, as the value each provides under {@link FLOW_REGISTRATION}.
   */
  constructor(discovery: DiscoveryService) {
    // Each registration checks the whole app (one provider scan): the first to meet a duplicate
    // stops the start, so no state is kept between registrations.
    const seen = new Map<string, { name: string; option: string; registration: object }>();
    for (const { token, instance } of discovery.getProviders()) {
      if (token !== FLOW_REGISTRATION) continue;
      const registration = instance as FlowRegistration;
      const name = registrationName(registration);
      for (const route of registration.routes) {
        const key = routeKey(route);
        const first = seen.get(key);
        if (first?.registration === registration) {
          throw new FlowConfigurationError(
            'invalid_option',
            `${name} adds the route ${key} twice (${first.option} and ${route.option}): give each its own path.`,
          );
        }
        if (first !== undefined) {
          throw new FlowConfigurationError(
            'invalid_option',
            `Two FlowModule registrations add the route ${key}: ${first.name} and ${name} ` +
              `(${route.option}). Register FlowModule once (isGlobal: true shares it), or give ` +
              'the second registration another path.',
          );
        }
        seen.set(key, { name, option: route.option, registration });
      }
    }
  }
}
