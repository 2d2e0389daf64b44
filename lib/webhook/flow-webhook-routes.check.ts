import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { scanRoutes } from '../routing/route-scan.js';
import { FLOW_OPTIONS } from '../flow.constants.js';
import type { FlowWebhookSettings } from './webhook-options.js';
import { FlowWebhookGuard } from './flow-webhook.guard.js';
import { FLOW_WEBHOOK_PUBLIC_PATH } from './webhook-route-metadata.js';
import { assertPublicPathsFree, type BoundPublicPath } from './public-path-collisions.js';
import { FlowWebhookGlobalGuardsCheck } from './webhook-global-guards.check.js';
import { isWebhookGuard, webhookGuardType } from './webhook-guard-type.js';

/** True when `guard` (a class or instance from `@UseGuards`) is FlowWebhookGuard or a subclass that keeps its publicPath rule. */
function usesModulePathRule(guard: unknown): boolean {
  const type = webhookGuardType(guard);
  if (type === undefined) return false;
  // A subclass that computes its own public path (per tenant…) binds it itself.
  const own = (type.prototype as unknown as Record<string, unknown>).getPublicPath;
  return own === (FlowWebhookGuard.prototype as unknown as Record<string, unknown>).getPublicPath;
}

/** The start-up error for a route that runs the webhook guard more than once. */
function stackedGuardError(name: string, count: number): FlowConfigurationError {
  return new FlowConfigurationError(
    'invalid_option',
    `${name} runs FlowWebhookGuard ${count} times (@FlowWebhookRoute() applies it, and so does ` +
      '@UseGuards(FlowWebhookGuard) on the method or its controller): each later run would take ' +
      'the delivery for a replay of the first and answer 409 to every delivery. Keep ' +
      '@FlowWebhookRoute() alone and remove the @UseGuards(FlowWebhookGuard).',
  );
}

/**
 * Refuses, at start-up, a route that runs FlowWebhookGuard more than once, a public path that is
 * another route's real path, and binds each public path to one route: a delivery is verified against the path
 * Cognito signed, so a public path shared by two guarded routes would let a delivery signed for
 * one be accepted on the other. Refuses a module-wide `webhook.publicPath` with more than one route
 * relying on it, and the same `@FlowWebhookRoute({ publicPath })` on two routes. Its one scan of
 * the routes also feeds {@link FlowWebhookGlobalGuardsCheck}.
 */
@Injectable()
export class FlowWebhookRoutesCheck implements OnModuleInit {
  readonly #reflector = new Reflector();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Inject(FLOW_OPTIONS) private readonly options: FlowWebhookSettings,
    private readonly config: ApplicationConfig,
    private readonly globalGuards: FlowWebhookGlobalGuardsCheck,
  ) {}

  /** Scans every controller once, when the app starts, for these checks and the global guards'. */
  onModuleInit(): void {
    const modulePath = this.options.webhook.publicPath;
    const byPath = new Map<string, string[]>();
    const onModulePath: string[] = [];
    const bound: BoundPublicPath[] = [];
    const routes = scanRoutes(this.discovery, this.scanner, this.#reflector);
    for (const route of routes) {
      const { controller, method, handler, guards } = route;
      const name = `${controller.name}.${method}`;
      const webhookGuards = guards.filter(isWebhookGuard).length;
      if (webhookGuards > 1) throw stackedGuardError(name, webhookGuards);
      if (!guards.some(usesModulePathRule)) continue;
      const own = this.#reflector.getAllAndOverride<string | undefined>(FLOW_WEBHOOK_PUBLIC_PATH, [
        handler,
        controller,
      ]);
      if (own !== undefined) {
        byPath.set(own, [...(byPath.get(own) ?? []), name]);
        bound.push({ route, publicPath: own, source: `@FlowWebhookRoute({ publicPath })` });
      } else if (modulePath !== undefined) {
        onModulePath.push(name);
        bound.push({ route, publicPath: modulePath, source: 'webhook.publicPath' });
      }
    }
    if (onModulePath.length > 1) {
      throw new FlowConfigurationError(
        'invalid_option',
        `webhook.publicPath (${modulePath}) is the one path Cognito signs, but ${onModulePath.length} ` +
          `routes guarded by FlowWebhookGuard rely on it (${onModulePath.join(', ')}): a delivery ` +
          'signed for one would be accepted on every other. Give each route its own with ' +
          "@FlowWebhookRoute({ publicPath: '/…' }) and remove webhook.publicPath.",
      );
    }
    for (const [path, names] of byPath) {
      if (names.length > 1 || (names.length === 1 && path === modulePath && onModulePath.length)) {
        throw new FlowConfigurationError(
          'invalid_option',
          `The public path ${path} is declared for more than one route (${[...names, ...onModulePath].join(', ')}): ` +
            'a delivery signed for one would be accepted on the other. Give each route the path Cognito posts to for it.',
        );
      }
    }
    assertPublicPathsFree(bound, routes, this.config);
    this.globalGuards.warnFor(routes);
  }
}
