import { Logger } from '@nestjs/common';
import { Reflector, type DiscoveryService } from '@nestjs/core';
import { globalGuardClasses, guardName } from '../routing/global-guards.js';
import type { ScannedRoute } from '../routing/route-scan.js';
import { FLOW_WEBHOOK_ROUTE } from './flow-webhook.constants.js';
import { isWebhookGuard } from './webhook-guard-type.js';
import { FLOW_WEBHOOK_DISPATCHED } from './webhook-route-metadata.js';

/** The start-up warning: the global guards, the webhook routes they run on, and the fix. */
function globalGuardWarning(guards: string[], builtIn: string[], own: string[]): string {
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
 * say the host took care of it. It reads the routes FlowWebhookRoutesCheck scanned at start-up.
 */
export class FlowWebhookGlobalGuardsCheck {
  readonly #logger = new Logger('FlowWebhook');
  readonly #reflector = new Reflector();

  constructor(
    private readonly discovery: DiscoveryService,
    /** webhook.decorators as given (undefined when not given). */
    private readonly decorators: readonly unknown[] | undefined,
    /** webhook.path, when the built-in receiver is registered. */
    private readonly receiverPath: string | undefined,
  ) {}

  /** Reads the global guards, when the app starts, and warns about the webhook routes among `routes`. */
  warnFor(routes: readonly ScannedRoute[]): void {
    if (this.decorators !== undefined) return;
    const guards = [...new Set(globalGuardClasses(this.discovery).map(guardName))];
    if (guards.length === 0) return;
    const own: string[] = [];
    let builtIn = false;
    for (const { controller, method, handler, guards: routeGuards } of routes) {
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
