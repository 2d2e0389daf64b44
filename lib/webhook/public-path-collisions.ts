import { RequestMethod } from '@nestjs/common';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { pathReaches, servedPaths, type RoutePathConfig } from '../routing/route-paths.js';
import type { ScannedRoute } from '../routing/route-scan.js';

/** A guarded route and the public path its deliveries are verified against. */
export interface BoundPublicPath {
  /** The guarded route. */
  readonly route: ScannedRoute;
  /** The path Cognito is taken to sign for it. */
  readonly publicPath: string;
  /** Where that path was set, for the message. */
  readonly source: string;
}

function routeName(route: ScannedRoute): string {
  return `${route.controller.name}.${route.method}`;
}

/**
 * Refuses, at start-up, a public path that another route of the app is really served at: a
 * delivery Cognito sent to that route (signed for its real path) would also verify on the route
 * declaring the path, and run its handler. Only routes that take a POST can receive a delivery.
 * @throws FlowConfigurationError naming both routes and how to fix it.
 */
export function assertPublicPathsFree(
  bound: readonly BoundPublicPath[],
  routes: readonly ScannedRoute[],
  config: RoutePathConfig,
): void {
  if (bound.length === 0) return;
  const posted = routes
    .filter(
      (route) =>
        route.requestMethod === RequestMethod.POST || route.requestMethod === RequestMethod.ALL,
    )
    .map((route) => ({ route, paths: servedPaths(route, config) }));
  for (const { route, publicPath, source } of bound) {
    for (const other of posted) {
      if (other.route.controller === route.controller && other.route.method === route.method)
        continue;
      const served = other.paths.find((path) => pathReaches(path, publicPath));
      if (served === undefined) continue;
      throw new FlowConfigurationError(
        'invalid_option',
        `The public path ${publicPath} of ${routeName(route)} (${source}) is the real path of ` +
          `${routeName(other.route)} (POST ${served}): a delivery Cognito sends to that route ` +
          `would also verify on ${routeName(route)} and run it. Give ${routeName(route)} the ` +
          `path Cognito posts to for it, or move ${routeName(other.route)} to another path.`,
      );
    }
  }
}
