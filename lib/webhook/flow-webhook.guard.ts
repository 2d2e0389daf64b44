import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { FLOW_OPTIONS } from '../flow.constants.js';
import type { FlowWebhookSettings } from './webhook-options.js';
import { FLOW_EVENT_STORE } from '../events/events.constants.js';
import type { FlowEventStore } from '../events/flow-event-store.interface.js';
import { MemoryFlowEventStore } from '../events/memory-event-store.js';
import { errorTypeOf } from '../events/delivery-trace.js';
import { observeEventStore, storeKindOf } from '../events/observed-event-store.js';
import { NOOP_FLOW_TELEMETRY, type FlowTelemetry } from '../telemetry/flow-telemetry.js';
import { FLOW_TELEMETRY } from '../telemetry/telemetry.constants.js';
import { eventNameValue } from '../telemetry/telemetry-attributes.js';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import { FlowVerificationError } from '../http-signature/flow-verification.error.js';
import type { FlowWebhookVerifier } from '../verifier/verify-flow-webhook.js';
import { deliverySignature, firstAcceptance } from './delivery-replay.js';
import { createGuardVerifier } from './guard-verifier.js';
import { FLOW_WEBHOOK_EVENT_KEY } from './flow-webhook.constants.js';
import {
  describeRequest,
  rawBodyOf,
  repeatedHeadersOf,
  type FlowWebhookPlatformRequest,
} from './flow-webhook-platform-request.js';
import { markSignatureChecked } from './other-guard-refusal.js';
import { RefusalLog } from './refusal-log.js';
import { RouteMetadataReader } from './webhook-route-metadata.js';
import {
  MISSING_RAW_BODY_MESSAGE,
  NON_HTTP_MESSAGE,
  genericHttpException,
} from './webhook-refusal.js';

/**
 * Verifies Cognito Flow webhook deliveries on the host's own routes:
 * `@Post('webhook_receivers/flow') @UseGuards(FlowWebhookGuard)`. Needs the app created with
 * `rawBody: true` (Express or Fastify). Answers 401 to any refused signature, 413 to an oversized
 * body, 415 to a non-JSON or compressed body, 400 to a signed body that is not a Flow event, 409 to
 * a replay of a delivery it already accepted (remembered in the event store for twice the Date
 * window), 503 when that store cannot answer, and 500 (logged once, with the fix) when the raw body
 * is missing. Refusals are logged at most once per reason per minute, with a count of the rest.
 * The verified event is attached to the request for `@VerifiedFlowEvent()`. Subclass it and override the
 * protected hooks to adapt it.
 */
@Injectable()
export class FlowWebhookGuard implements CanActivate {
  /** Where refusals (warn) and misconfigurations (error, once) are reported. */
  protected readonly logger = new Logger('FlowWebhookGuard');
  /** The prepared verifier: options checked and keys made once, at construction. */
  protected readonly verifier: FlowWebhookVerifier;
  /** Refusal lines, bounded per reason so a flood cannot fill the host's logs. */
  private readonly refusals = new RefusalLog(this.logger);
  /** Where accepted deliveries are remembered: the module's event store, shared by instances. */
  protected readonly store: FlowEventStore;
  /** The routes' webhook metadata, read once per route. */
  readonly #routes = new RouteMetadataReader();
  /** Misconfiguration messages already logged: each is an error once, not once per request. */
  readonly #reported = new Set<string>();
  /** Where refusals are counted and the delivery's span starts. */
  readonly #telemetry: FlowTelemetry;
  readonly #storeKind: string;

  constructor(
    /** The module's resolved webhook settings. */
    @Inject(FLOW_OPTIONS) protected readonly options: FlowWebhookSettings,
    // Optional only for subclasses built by hand: FlowModule always provides the store.
    @Optional() @Inject(FLOW_EVENT_STORE) store?: FlowEventStore,
    @Optional() @Inject(FLOW_TELEMETRY) telemetry: FlowTelemetry = NOOP_FLOW_TELEMETRY,
  ) {
    const given = store ?? new MemoryFlowEventStore();
    this.#telemetry = telemetry;
    this.#storeKind = storeKindOf(given);
    this.store = observeEventStore(given, telemetry);
    this.verifier = createGuardVerifier(options);
  }

  /**
   * Verifies the delivery; throws an HttpException with a generic body when it is refused.
   * Synchronous where nothing is left to ask the store (the built-in receiver's route), a promise
   * where the replay check asks it.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') {
      this.#reportOnce(NON_HTTP_MESSAGE);
      return false;
    }
    const request = this.getRequest(context);
    const dispatches = this.#routes.dispatches(context);
    // Only the built-in receiver's route has the watch that reads this mark.
    if (dispatches) markSignatureChecked(request);
    const span = this.#telemetry.startDelivery();
    const verify = span.child('flow.webhook.verify');
    let event: FlowWebhookEvent;
    try {
      event = this.verifier(
        {
          method: request.method,
          url: this.getRequestUrl(request),
          headers: request.headers,
          headersDistinct: repeatedHeadersOf(request),
          rawBody: this.getRawBody(request),
        },
        { publicPath: this.getPublicPath(request, context) },
      );
    } catch (error) {
      const reason = error instanceof FlowVerificationError ? error.reason : 'internal_error';
      this.#telemetry.refused(reason);
      verify.fail(reason);
      verify.end();
      span.fail(reason);
      span.end();
      return this.handleRefusal(error, request);
    }
    verify.end();
    // The built-in receiver's dispatcher already runs each event once and acknowledges duplicates.
    if (dispatches) {
      this.attachEvent(request, event);
      // The dispatcher continues this span and ends it with the delivery's outcome.
      this.#telemetry.handOver(request, span);
      return true;
    }
    // On a host's own route the span covers verification and the replay check only.
    if (this.#telemetry.enabled)
      span.set({ 'flow.event.name': eventNameValue(event.event), 'flow.event.id': event.id });
    return this.refuseReplay(request).then(
      () => {
        span.end();
        this.attachEvent(request, event);
        return true;
      },
      (error: unknown) => {
        span.fail(errorTypeOf(error));
        span.end();
        throw error;
      },
    );
  }

  /** The platform request (Express `Request` or Fastify `FastifyRequest`). */
  protected getRequest(context: ExecutionContext): FlowWebhookPlatformRequest {
    return context.switchToHttp().getRequest<FlowWebhookPlatformRequest>();
  }

  /** Path and query exactly as received, before any rewriting middleware. */
  protected getRequestUrl(request: FlowWebhookPlatformRequest): string {
    return request.originalUrl ?? request.raw?.url ?? request.url ?? '';
  }

  /**
   * The body's raw bytes, as Nest keeps them with `rawBody: true`. A request that has no body at
   * all (no Content-Length, no Transfer-Encoding) has empty bytes, not missing ones.
   */
  protected getRawBody(request: FlowWebhookPlatformRequest): Buffer | undefined {
    return rawBodyOf(request);
  }

  /**
   * The path Cognito signed when a proxy rewrote it: the route's `@FlowWebhookRoute({ publicPath })`,
   * else `webhook.publicPath` (which start-up allows on one route only), else the path as received.
   */
  protected getPublicPath(
    _request: FlowWebhookPlatformRequest,
    context?: ExecutionContext,
  ): string | undefined {
    return this.#routes.publicPath(context) ?? this.options.webhook.publicPath;
  }

  /**
   * Refuses (409) a delivery already accepted on any route of any instance sharing the store: the
   * same signed bytes sent again within the Date window. Cognito's retries are signed anew, so
   * they pass; an acknowledged 2xx is never given, since the first run may have failed.
   */
  protected async refuseReplay(request: FlowWebhookPlatformRequest): Promise<void> {
    const signature = deliverySignature({ headers: request.headers ?? {} });
    if (signature === undefined) throw genericHttpException(401);
    const windowMs = 2 * this.options.webhook.toleranceSeconds * 1000;
    let first: boolean;
    try {
      first = await firstAcceptance(this.store, signature, windowMs);
    } catch (error) {
      const name = error instanceof Error ? error.name : typeof error;
      this.#telemetry.refused('store_unavailable');
      this.#telemetry.storeUnavailable(this.#storeKind);
      this.refusals.refused(
        'store_unavailable',
        `Refused Flow webhook ${this.describe(request)}: the event store could not rule out a replay (${name}); answered 503 so Cognito retries.`,
      );
      throw genericHttpException(503);
    }
    if (!first) {
      this.#telemetry.refused('replayed_delivery');
      this.refusals.refused(
        'replayed_delivery',
        `Refused Flow webhook ${this.describe(request)}: replayed_delivery (its signature was already accepted)`,
      );
      throw genericHttpException(409);
    }
  }

  /** Puts the verified event where `@VerifiedFlowEvent()` reads it. */
  protected attachEvent(request: FlowWebhookPlatformRequest, event: FlowWebhookEvent): void {
    request[FLOW_WEBHOOK_EVENT_KEY] = event;
  }

  /** Logs a refusal (reason and path only) and throws the HttpException to answer with. */
  protected handleRefusal(error: unknown, request: FlowWebhookPlatformRequest): never {
    if (!(error instanceof FlowVerificationError)) {
      // Only the error's class name: a host hook's message could carry anything.
      const name = error instanceof Error ? error.name : typeof error;
      this.logger.error(
        `Flow webhook verification failed unexpectedly (${name}) on ${this.describe(request)}; the delivery was refused.`,
      );
      throw genericHttpException(500);
    }
    if (error.reason === 'missing_raw_body') {
      this.#reportOnce(MISSING_RAW_BODY_MESSAGE);
    } else {
      this.refusals.refused(
        error.reason,
        `Refused Flow webhook ${this.describe(request)}: ${error.reason}`,
      );
    }
    throw genericHttpException(error.status);
  }

  /** `POST /path` (no query) and the platform's request id when it has one, for log lines. */
  protected describe(request: FlowWebhookPlatformRequest): string {
    return describeRequest(request, String(this.getRequestUrl(request) ?? ''));
  }

  #reportOnce(message: string): void {
    if (this.#reported.has(message)) return;
    this.#reported.add(message);
    this.logger.error(message);
  }
}
