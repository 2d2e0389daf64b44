import { Get, UseGuards, type Type } from '@nestjs/common';
import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { Reflector } from '@nestjs/core';

/**
 * The metadata key a public Nest decorator writes, read off a throwaway target it was applied to.
 * `@nestjs/common` exports its keys (`GUARDS_METADATA`, `PATH_METADATA`) only from its
 * `constants` file, not from its root in Nest 11 or 12; this package imports Nest from roots only.
 */
export function keyWritten(target: object, value?: unknown): string {
  const keys = Reflect.getOwnMetadataKeys(target) as unknown[];
  const key = keys.find(
    (candidate) => value === undefined || Reflect.getOwnMetadata(candidate, target) === value,
  );
  if (typeof key !== 'string') throw new Error('A Nest route decorator wrote no metadata key.');
  return key;
}

/** The key `@UseGuards()` writes its guard list under. */
const GUARDS_KEY = (() => {
  class GuardsProbe {}
  UseGuards({ canActivate: () => true })(GuardsProbe);
  return keyWritten(GuardsProbe);
})();

/** The key `@Get()` (any route decorator) writes its path under: what makes a method a route. */
const PATH_KEY = (() => {
  const path = 'nestjs-cognito-flow:path-probe';
  const handler = (): void => undefined;
  Get(path)({}, 'pathProbe', { value: handler });
  return keyWritten(handler, path);
})();

/** One route handler of a controller, as one start-up scan found it. */
export interface ScannedRoute {
  /** The controller class. */
  readonly controller: Type;
  /** The handler's method name. */
  readonly method: string;
  /** The handler itself, for `Reflector` reads of its own metadata. */
  readonly handler: (...args: never[]) => unknown;
  /** Its guards: the controller's, then the handler's (classes or instances). */
  readonly guards: readonly unknown[];
}

/**
 * Every route handler of every controller of the app, found with `DiscoveryService` and
 * `MetadataScanner` (own and inherited methods alike), read through `Reflector` in this one scan.
 */
export function scanRoutes(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector = new Reflector(),
): ScannedRoute[] {
  const routes: ScannedRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as Type | null | undefined;
    if (typeof controller !== 'function') continue;
    const classGuards = reflector.get<unknown[] | undefined>(GUARDS_KEY, controller) ?? [];
    const prototype = controller.prototype as Record<string, unknown>;
    for (const method of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[method];
      if (typeof handler !== 'function') continue;
      if (reflector.get<unknown>(PATH_KEY, handler) === undefined) continue;
      const own = reflector.get<unknown[] | undefined>(GUARDS_KEY, handler) ?? [];
      routes.push({
        controller,
        method,
        handler: handler as ScannedRoute['handler'],
        guards: [...classGuards, ...own],
      });
    }
  }
  return routes;
}
