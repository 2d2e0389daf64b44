import type { DiscoveryService } from '@nestjs/core';

/** What Nest's public `InstanceWrapper` tells of a discovered provider, as far as this reads. */
interface DiscoveredProvider {
  readonly subtype?: string;
  readonly metatype?: unknown;
  readonly instance?: unknown;
}

/** The class of a global guard: its instance's constructor (built by now), else its metatype. */
function guardClass(provider: DiscoveredProvider): unknown {
  const instance = provider.instance;
  if (typeof instance === 'object' && instance !== null) return instance.constructor;
  return provider.metatype;
}

/**
 * The classes of the app's static `APP_GUARD` providers. Nest registers each under a token of its
 * own and marks its wrapper with the enhancer subtype `'guard'`, a public field of what
 * `DiscoveryService` returns. Guards given to `app.useGlobalGuards()` and request-scoped
 * `APP_GUARD` providers are kept elsewhere by Nest: they are not found.
 */
export function globalGuardClasses(discovery: DiscoveryService): unknown[] {
  return (discovery.getProviders() as DiscoveredProvider[])
    .filter((provider) => provider.subtype === 'guard')
    .map(guardClass);
}

/** A guard class's name for log lines; an anonymous one or a plain object says so. */
export function guardName(type: unknown): string {
  const name = typeof type === 'function' ? type.name : '';
  return name === '' || name === 'Object' ? 'an unnamed guard' : name;
}
