import {
  Get,
  Post,
  RequestMethod,
  UseGuards,
  Version,
  type Type,
  type VERSION_NEUTRAL,
} from '@nestjs/common';
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

/** The key `@Post()` (any route decorator) writes its HTTP method under. */
const METHOD_KEY = (() => {
  const handler = (): void => undefined;
  Post('nestjs-cognito-flow:method-probe')({}, 'methodProbe', { value: handler });
  return keyWritten(handler, RequestMethod.POST);
})();

/** The key `@Version()` and `@Controller({ version })` write the version under. */
const VERSION_KEY = (() => {
  const handler = (): void => undefined;
  Version('nestjs-cognito-flow:version-probe')({}, 'versionProbe', { value: handler });
  return keyWritten(handler);
})();

/** A version as `@Version()` or `@Controller({ version })` declares it. */
export type DeclaredVersion =
  string | typeof VERSION_NEUTRAL | Array<string | typeof VERSION_NEUTRAL>;

/** Where a route is declared: what Nest joins, with the app's prefix and version, into its paths. */
export interface DeclaredRoute {
  /** The controller's path(s), as `@Controller()` declared them. */
  readonly controllerPath: string | readonly string[];
  /** The handler's path(s), as `@Get()`, `@Post()`… declared them. */
  readonly methodPath: string | readonly string[];
  /** The handler's HTTP method. */
  readonly requestMethod: RequestMethod;
  /** `@Version()` of the handler, if any. */
  readonly methodVersion?: DeclaredVersion;
  /** The version of `@Controller({ version })`, if any. */
  readonly controllerVersion?: DeclaredVersion;
}

/** One route handler of a controller, as one start-up scan found it. */
export interface ScannedRoute extends DeclaredRoute {
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
    const controllerPath =
      reflector.get<string | string[] | undefined>(PATH_KEY, controller) ?? '/';
    const controllerVersion = reflector.get<DeclaredVersion | undefined>(VERSION_KEY, controller);
    const prototype = controller.prototype as Record<string, unknown>;
    for (const method of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[method];
      if (typeof handler !== 'function') continue;
      const methodPath = reflector.get<string | string[] | undefined>(PATH_KEY, handler);
      if (methodPath === undefined) continue;
      const own = reflector.get<unknown[] | undefined>(GUARDS_KEY, handler) ?? [];
      routes.push({
        controller,
        method,
        handler: handler as ScannedRoute['handler'],
        guards: [...classGuards, ...own],
        controllerPath,
        methodPath,
        requestMethod:
          reflector.get<RequestMethod | undefined>(METHOD_KEY, handler) ?? RequestMethod.GET,
        methodVersion: reflector.get<DeclaredVersion | undefined>(VERSION_KEY, handler),
        controllerVersion,
      });
    }
  }
  return routes;
}
