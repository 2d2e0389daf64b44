import { Logger, type OnModuleInit } from '@nestjs/common';
import { Reflector, type DiscoveryService, type MetadataScanner } from '@nestjs/core';
import { globalGuardClasses, guardName } from '../routing/global-guards.js';
import { scanRoutes } from '../routing/route-scan.js';
import { FLOW_WEBHOOK_ROUTE } from './flow-webhook.constants.js';
import { FlowWebhookGuard } from './flow-webhook.guard.js';
import { FLOW_WEBHOOK_DISPATCHED } from './webhook-route-metadata.js';

/** True for FlowWebhookGuard or a subclass, given as a class or an instance. */
function isWebhookGuard(guard: unknown): boolean {
  const type: unknown = typeof guard === 'function' ? guard : (guard as object | null)?.constructor;
  return (
    type === FlowWebhookGuard ||
    (typeof type === 'function' && type.prototype instanceof FlowWebhookGuard)
  );
}

/** The start-up warning: the global guards, the webhook routes they run on, and the fix. */
export function globalGuardWarning(guards: string[], builtIn: string[], own: string[]): string {
  const routes = [...builtIn.map((path) => `the built-in receiver (${path})`), ...own].join(', ');
  const fixes = [
    ...(builtIn.length > 0 ? ['webhook: { decorators: [Public()] }'] : []),
    ...(own.length > 0 ? ['the same decorator on your own @FlowWebhookRoute() routes'] : []),
  ].join(', and ');
  return (
    `The app has global guards (APP_GUARD: ${guards.join(', ')}), and webhook.decorators is not ` +
    `set. They run on the Flow webhook routes before the signature check: ${routes}. An auth ` +
    'guard there refuses every delivery (401). Let deliveries through with its opt-out ' +
    `decorator: ${fixes}. If your guards already let them through (they read ` +
    'FLOW_WEBHOOK_ROUTE), set webhook: { decorators: [] } to say so.'
  );
}

/**
 * Warns once at start-up when the app has global guards (`APP_GUARD`) and `webhook.decorators`
 * is not set: the guards then run on the webhook routes (the built-in receiver, and the host's
 * routes guarded by FlowWebhookGuard) before the signature check. Given decorators, even `[]`,
 * say the host took care of it.
 */
export class FlowWebhookGlobalGuardsCheck implements OnModuleInit {
  readonly #logger = new Logger('FlowWebhook');
  readonly #reflector = new Reflector();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    /** webhook.decorators as given (undefined when not given). */
    private readonly decorators: readonly unknown[] | undefined,
    /** webhook.path, when the built-in receiver is registered. */
    private readonly receiverPath: string | undefined,
  ) {}

  /** Scans the global guards and the routes once, when the app starts. */
  onModuleInit(): void {
    if (this.decorators !== undefined) return;
    const guards = [...new Set(globalGuardClasses(this.discovery).map(guardName))];
    if (guards.length === 0) return;
    const own: string[] = [];
    let builtIn = false;
    for (const { controller, method, handler, guards: routeGuards } of scanRoutes(
      this.discovery,
      this.scanner,
      this.#reflector,
    )) {
      const targets = [handler, controller];
      const marked = this.#reflector.getAllAndOverride<boolean>(FLOW_WEBHOOK_ROUTE, targets);
      if (marked !== true && !routeGuards.some(isWebhookGuard)) continue;
      if (this.#reflector.getAllAndOverride<boolean>(FLOW_WEBHOOK_DISPATCHED, targets) === true)
        builtIn = true;
      else own.push(`${controller.name}.${method}`);
    }
    const receiver = builtIn && this.receiverPath !== undefined ? [this.receiverPath] : [];
    if (receiver.length === 0 && own.length === 0) return;
    this.#logger.warn(globalGuardWarning(guards, receiver, own));
  }
}
