import { repeatedHeadersFromRaw } from '../http-signature/request-headers.js';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';

type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;
type DistinctHeaders = Readonly<Record<string, readonly string[] | undefined>>;

/**
 * What {@link FlowWebhookGuard} reads from the platform's request: the fields Express's `Request`
 * and Fastify's `FastifyRequest` (through `raw`, Node's `IncomingMessage`) have in common, each
 * optional where one platform lacks it. Both platforms' requests are assignable to it.
 */
export interface FlowWebhookPlatformRequest {
  /** The HTTP method. */
  method: string;
  /** Express: the URL before any rewriting middleware. */
  originalUrl?: string;
  /** The URL as the platform routes it. */
  url?: string;
  /** Headers, lower-cased; repeated ones joined or listed by the platform. */
  headers: Headers;
  /** Every copy of every header (Node 18.3+ HTTP/1). */
  headersDistinct?: DistinctHeaders;
  /** Header names and values as received, alternating. */
  rawHeaders?: readonly string[];
  /** The body's bytes, kept by Nest when the app is created with `rawBody: true`. */
  rawBody?: unknown;
  /** The platform's request id (Fastify sets one). */
  id?: unknown;
  /** Fastify: Node's own request. */
  raw?: { url?: string; headersDistinct?: DistinctHeaders; rawHeaders?: readonly string[] };
  /** Where the guard puts the verified event for `@VerifiedFlowEvent()`. */
  flowWebhookEvent?: FlowWebhookEvent;
}

const EMPTY_BODY = Buffer.alloc(0);

/**
 * Only the headers that repeat, read from rawHeaders: the same answers as Node's headersDistinct
 * without a list per header (and HTTP/2 requests have no headersDistinct).
 */
export function repeatedHeadersOf(
  request: FlowWebhookPlatformRequest,
): DistinctHeaders | undefined {
  return (
    repeatedHeadersFromRaw(request.raw?.rawHeaders ?? request.rawHeaders) ??
    request.headersDistinct ??
    request.raw?.headersDistinct
  );
}

/**
 * The body's raw bytes, as Nest keeps them with `rawBody: true`. A request that has no body at
 * all (no Content-Length, no Transfer-Encoding) has empty bytes, not missing ones.
 */
export function rawBodyOf(request: FlowWebhookPlatformRequest): Buffer | undefined {
  if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
  const headers = request.headers ?? {};
  const length = headers['content-length'];
  if (headers['transfer-encoding'] === undefined && (length === undefined || length === '0'))
    return EMPTY_BODY;
  return undefined;
}

/** `POST /path` (no query) and the platform's request id when it has one, for log lines. */
export function describeRequest(request: FlowWebhookPlatformRequest, url: string): string {
  const query = url.indexOf('?');
  const id =
    typeof request.id === 'string' || typeof request.id === 'number'
      ? ` (request ${request.id})`
      : '';
  return `${String(request.method)} ${query === -1 ? url : url.slice(0, query)}${id}`;
}
