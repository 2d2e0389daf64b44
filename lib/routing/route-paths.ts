import { RequestMethod, VersioningType } from '@nestjs/common';
import type { ApplicationConfig } from '@nestjs/core';
import type { DeclaredRoute } from './route-scan.js';

/** What of the app's `ApplicationConfig` (public in `@nestjs/core`) shapes a route's paths. */
export type RoutePathConfig = Pick<
  ApplicationConfig,
  'getGlobalPrefix' | 'getGlobalPrefixOptions' | 'getVersioning'
>;

/** `/a/b` from any mix of leading, trailing and doubled slashes; `/` for nothing. */
function normalisePath(path: string): string {
  const parts = path.split('/').filter((part) => part !== '');
  return `/${parts.join('/')}`;
}

/** The URI version segments (`/v1`, or `''` for neutral) the route is served under. */
function versionSegments(route: DeclaredRoute, config: RoutePathConfig): string[] {
  const versioning = config.getVersioning();
  if (versioning?.type !== VersioningType.URI) return [''];
  const version = route.methodVersion ?? route.controllerVersion ?? versioning.defaultVersion;
  if (version === undefined) return [''];
  const prefix = versioning.prefix === false ? '' : (versioning.prefix ?? 'v');
  // VERSION_NEUTRAL, the one symbol a version may be, puts no segment in the path.
  return [version].flat().map((item) => (typeof item === 'string' ? `/${prefix}${item}` : ''));
}

/** True when `app.setGlobalPrefix(…, { exclude })` leaves this path of the route unprefixed. */
function excludedFromPrefix(path: string, method: RequestMethod, config: RoutePathConfig): boolean {
  return (config.getGlobalPrefixOptions().exclude ?? []).some(
    (route) =>
      (route.requestMethod === RequestMethod.ALL || route.requestMethod === method) &&
      route.pathRegex.test(path),
  );
}

/**
 * The paths a route is served at, joined as Nest joins them: the global prefix (unless excluded),
 * the URI version, the controller path and the handler path. A `RouterModule` path is not
 * included: Nest keeps it in metadata it does not export.
 */
export function servedPaths(route: DeclaredRoute, config: RoutePathConfig): string[] {
  const prefix = config.getGlobalPrefix();
  const paths: string[] = [];
  for (const version of versionSegments(route, config)) {
    for (const controllerPath of [route.controllerPath].flat()) {
      for (const methodPath of [route.methodPath].flat()) {
        const path = normalisePath(`${controllerPath}/${methodPath}`);
        const prefixed =
          prefix === '' || excludedFromPrefix(path, route.requestMethod, config)
            ? `${version}${path}`
            : `${prefix}/${version}${path}`;
        paths.push(normalisePath(prefixed));
      }
    }
  }
  return paths;
}

/**
 * True when a request for `path` (no parameters) would reach a route served at `pattern`:
 * segments compare case-insensitively (Express's default), `:name` matches one segment and
 * `*name` the rest. Other pattern syntax compares literally.
 */
export function pathReaches(pattern: string, path: string): boolean {
  const wanted = normalisePath(pattern).toLowerCase().split('/');
  const given = normalisePath(path).toLowerCase().split('/');
  for (let index = 0; index < wanted.length; index++) {
    const segment = wanted[index];
    if (segment.startsWith('*')) return given.length > index && given[index] !== '';
    if (index >= given.length) return false;
    if (segment.startsWith(':') ? given[index] === '' : segment !== given[index]) return false;
  }
  return wanted.length === given.length;
}
