import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Injectable,
  Logger,
  Module,
  type MiddlewareConsumer,
  type NestMiddleware,
  type NestModule,
  type Type,
} from '@nestjs/common';
import {
  describeRequest,
  type FlowWebhookPlatformRequest,
} from './flow-webhook-platform-request.js';
import { REFUSAL_LOG_INTERVAL_MS, RefusalLog } from './refusal-log.js';

/** Set by FlowWebhookGuard on each request it starts checking. */
const SIGNATURE_CHECKED = Symbol('nestjs-cognito-flow:signature-checked');

/** The answers a guard gives when it refuses: the ones another guard's refusal is known by. */
const GUARD_REFUSALS = new Set([401, 403, 429]);

/**
 * Notes that FlowWebhookGuard reached this request. On Fastify the mark goes on Node's own request,
 * the one middleware sees; on Express that is the request itself.
 */
export function markSignatureChecked(request: FlowWebhookPlatformRequest): void {
  const target = (request.raw ?? request) as Record<symbol, unknown>;
  target[SIGNATURE_CHECKED] = true;
}

/** The refusal line: which route, which status, and the option that lets deliveries through. */
function otherGuardRefusalLine(route: string, status: number): string {
  const decorator = status === 429 ? 'SkipThrottle()' : 'Public()';
  return (
    `A Flow webhook delivery to ${route} was refused by another guard (${status}) before its ` +
    'signature was checked. A global guard (APP_GUARD) or a guard from webhook.decorators ran ' +
    `first. Let deliveries through with its opt-out: webhook: { decorators: [${decorator}] }.`
  );
}

/**
 * Watches the built-in receiver's answers without changing them. A delivery (it carries a
 * `Signature` authorization) answered 401, 403 or 429 before FlowWebhookGuard saw it was refused by
 * another guard; that is logged at most once a minute per status. It never answers, so the host's
 * global exception filters shape the response exactly as on its other routes. (A route-scoped
 * exception filter would shadow them: Nest gives each exception to one filter, and those given to
 * `app.useGlobalFilters()` are out of public reach to delegate to.)
 */
@Injectable()
class OtherGuardRefusalWatch implements NestMiddleware {
  readonly #logger = new Logger('FlowWebhook');
  // Read at each refusal, so a test's controlled clock moves the window.
  readonly #refusals = new RefusalLog(this.#logger, REFUSAL_LOG_INTERVAL_MS, () => Date.now());

  /** For a delivery, registers the check for when the answer is sent; then lets the request go on. */
  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    // Only a delivery can be logged: other requests get no listener.
    if (/^signature\s/i.test(request.headers.authorization ?? ''))
      response.once('finish', () => this.#answered(request, response.statusCode));
    next();
  }

  #answered(request: IncomingMessage, status: number): void {
    if (!GUARD_REFUSALS.has(status)) return;
    if ((request as unknown as Record<symbol, unknown>)[SIGNATURE_CHECKED] === true) return;
    const platformRequest = request as unknown as FlowWebhookPlatformRequest;
    const url = platformRequest.originalUrl ?? request.url ?? '';
    this.#refusals.refused(
      `other_guard_${status}`,
      otherGuardRefusalLine(describeRequest(platformRequest, url), status),
    );
  }
}

/** A module that puts {@link OtherGuardRefusalWatch} on the built-in receiver's route. */
export function otherGuardRefusalModule(receiver: Type): Type<NestModule> {
  @Module({})
  class FlowWebhookRefusalWatchModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(OtherGuardRefusalWatch).forRoutes(receiver);
    }
  }
  return FlowWebhookRefusalWatchModule;
}
