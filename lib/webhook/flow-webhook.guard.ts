import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { InjectFlowOptions } from '../config/inject-flow-options.decorator.js';
import type { FlowOptions } from '../config/flow-options.js';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import { FlowWebhookVerificationError } from '../http-signature/flow-webhook-verification.error.js';
import { headersDistinctFromRaw } from '../http-signature/request-headers.js';
import {
  createFlowWebhookVerifier,
  type FlowWebhookVerifier,
} from '../verifier/verify-flow-webhook.js';
import { FLOW_WEBHOOK_EVENT_KEY } from './flow-webhook.constants.js';
import type { FlowWebhookPlatformRequest } from './flow-webhook-platform-request.js';
import {
  MISSING_RAW_BODY_MESSAGE,
  NON_HTTP_MESSAGE,
  genericHttpException,
} from './webhook-refusal.js';

const EMPTY_BODY = Buffer.alloc(0);

/**
 * Verifies Cognito Flow webhook deliveries on the host's own routes:
 * `@Post('webhook_receivers/flow') @UseGuards(FlowWebhookGuard)`. Needs the app created with
 * `rawBody: true` (Express or Fastify). Answers 401 to any refused signature, 413 to an oversized
 * body, 415 to a non-JSON or compressed body, 400 to a signed body that is not a Flow event, and
 * 500 (logged once, with the fix) when the raw body is missing. The verified event is attached to
 * the request for `@FlowEvent()`. Subclass it and override the protected hooks to adapt it.
 */
@Injectable()
export class FlowWebhookGuard implements CanActivate {
  /** Where refusals (warn) and misconfigurations (error, once) are reported. */
  protected readonly logger = new Logger('FlowWebhookGuard');
  /** The prepared verifier: options checked and keys made once, at construction. */
  protected readonly verifier: FlowWebhookVerifier;
  #rawBodyReported = false;
  #nonHttpReported = false;

  constructor(@InjectFlowOptions() protected readonly options: FlowOptions) {
    this.verifier = createFlowWebhookVerifier({
      secrets: options.secrets,
      apiKeys: options.apiKeys,
      toleranceSeconds: options.webhook.toleranceSeconds,
      maxBodyBytes: options.webhook.maxBodyBytes,
      publicPath: options.webhook.publicPath,
    });
  }

  /** Verifies the delivery; throws an HttpException with a generic body when it is refused. */
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') {
      if (!this.#nonHttpReported) {
        this.#nonHttpReported = true;
        this.logger.error(NON_HTTP_MESSAGE);
      }
      return false;
    }
    const request = this.getRequest(context);
    let event: FlowWebhookEvent;
    try {
      event = this.verifier(
        {
          method: request.method,
          url: this.getRequestUrl(request),
          headers: request.headers,
          // HTTP/2 requests have no headersDistinct: every copy is then read from rawHeaders.
          headersDistinct:
            request.headersDistinct ??
            request.raw?.headersDistinct ??
            headersDistinctFromRaw(request.raw?.rawHeaders ?? request.rawHeaders),
          rawBody: this.getRawBody(request),
        },
        { publicPath: this.getPublicPath(request) },
      );
    } catch (error) {
      return this.handleRefusal(error, request);
    }
    this.attachEvent(request, event);
    return true;
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
    if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
    const headers = request.headers ?? {};
    const length = headers['content-length'];
    if (headers['transfer-encoding'] === undefined && (length === undefined || length === '0'))
      return EMPTY_BODY;
    return undefined;
  }

  /** The path Cognito signed when a proxy rewrote it; default `webhook.publicPath`. */
  protected getPublicPath(_request: FlowWebhookPlatformRequest): string | undefined {
    return this.options.webhook.publicPath;
  }

  /** Puts the verified event where `@FlowEvent()` reads it. */
  protected attachEvent(request: FlowWebhookPlatformRequest, event: FlowWebhookEvent): void {
    request[FLOW_WEBHOOK_EVENT_KEY] = event;
  }

  /** Logs a refusal (reason and path only) and throws the HttpException to answer with. */
  protected handleRefusal(error: unknown, request: FlowWebhookPlatformRequest): never {
    if (!(error instanceof FlowWebhookVerificationError)) {
      // Only the error's class name: a host hook's message could carry anything.
      const name = error instanceof Error ? error.name : typeof error;
      this.logger.error(
        `Flow webhook verification failed unexpectedly (${name}) on ${this.describe(request)}; the delivery was refused.`,
      );
      throw genericHttpException(500);
    }
    if (error.reason === 'missing_raw_body') {
      if (!this.#rawBodyReported) {
        this.#rawBodyReported = true;
        this.logger.error(MISSING_RAW_BODY_MESSAGE);
      }
    } else {
      this.logger.warn(`Refused Flow webhook ${this.describe(request)}: ${error.reason}`);
    }
    throw genericHttpException(error.status);
  }

  /** `POST /path` (no query) and the platform's request id when it has one, for log lines. */
  protected describe(request: FlowWebhookPlatformRequest): string {
    const url = String(this.getRequestUrl(request) ?? '');
    const query = url.indexOf('?');
    const id =
      typeof request.id === 'string' || typeof request.id === 'number'
        ? ` (request ${request.id})`
        : '';
    return `${String(request.method)} ${query === -1 ? url : url.slice(0, query)}${id}`;
  }
}
