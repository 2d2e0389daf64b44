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
