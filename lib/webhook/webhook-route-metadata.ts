import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { isPublicPath } from '../verifier/flow-webhook-verifier-options.js';

/** Metadata key of a route's own public path, set by `@FlowWebhookRoute({ publicPath })`. */
export const FLOW_WEBHOOK_PUBLIC_PATH = 'nestjs-cognito-flow:webhook-public-path';

/** What the guard reads of a route's metadata, which never changes once the app runs. */
interface RouteFacts {
  publicPath: string | undefined;
  dispatches: boolean;
}

type RouteTargets = Parameters<Reflector['getAllAndOverride']>[1];

/** The handler and class of the route being run; none for a context made by hand without them. */
function routeTargets(context: ExecutionContext | undefined): RouteTargets {
  if (typeof context?.getHandler !== 'function' || typeof context.getClass !== 'function')
    return [];
  return [context.getHandler(), context.getClass()].filter((target) => target !== undefined);
}

/**
 * Reads a route's webhook metadata through Reflector once per handler and class, then remembers
 * it. Each guard owns one, so two apps in one process share nothing.
 */
export class RouteMetadataReader {
  readonly #reflector = new Reflector();
  // Per class, then per handler (a subclass can inherit a handler and declare its own metadata).
  readonly #facts = new WeakMap<object, WeakMap<object, RouteFacts>>();

  /** The public path declared on the route being run (handler first, then class), if any. */
  publicPath(context: ExecutionContext | undefined): string | undefined {
    return this.#routeFacts(context).publicPath;
  }

  /** True when the route being run dispatches through FlowEventDispatcher (the built-in receiver). */
  dispatches(context: ExecutionContext): boolean {
    return this.#routeFacts(context).dispatches;
  }

  /** Reads the facts of `targets` through Reflector. */
  #readFacts(targets: RouteTargets): RouteFacts {
    return {
      publicPath: this.#reflector.getAllAndOverride<string | undefined>(
        FLOW_WEBHOOK_PUBLIC_PATH,
        targets,
      ),
      dispatches:
        this.#reflector.getAllAndOverride<boolean | undefined>(FLOW_WEBHOOK_DISPATCHED, targets) ===
        true,
    };
  }

  /** The route's facts, remembered per handler and class; a context made by hand is read each time. */
  #routeFacts(context: ExecutionContext | undefined): RouteFacts {
    const targets = routeTargets(context);
    const [handler, type] = targets as unknown[];
    if (typeof handler !== 'function' || typeof type !== 'function')
      return this.#readFacts(targets);
    let byHandler = this.#facts.get(type);
    if (byHandler === undefined) this.#facts.set(type, (byHandler = new WeakMap()));
    let known = byHandler.get(handler);
    if (known === undefined) byHandler.set(handler, (known = this.#readFacts(targets)));
    return known;
  }
}

/** @throws FlowConfigurationError unless `publicPath` is an absolute path without query. */
export function checkRoutePublicPath(publicPath: unknown): void {
  if (publicPath !== undefined && !isPublicPath(publicPath)) {
    throw new FlowConfigurationError(
      'invalid_option',
      "@FlowWebhookRoute({ publicPath }) must be the absolute path Cognito posts to, such as '/hooks/flow'.",
    );
  }
}

/**
 * Metadata key set on the built-in receiver, whose dispatcher already runs each event once: the
 * guard leaves replays to it, so an identical redelivery is acknowledged as a duplicate (200).
 */
export const FLOW_WEBHOOK_DISPATCHED = 'nestjs-cognito-flow:webhook-dispatched';
