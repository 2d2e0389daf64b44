import { flowKeyShape } from './secret-shape.js';
import { signFlowRequest } from './sign-flow-request.js';

/** What {@link signFlowWebhook} signs. */
export interface SignFlowWebhookOptions {
  /** The API secret to sign with (a test secret; never a live one in a test suite). */
  secret: string;
  /** The `keyId` to send. Default: `<environment>_key_` + 32 zeros, the environment read from the secret's prefix. */
  apiKey?: string;
  /** HTTP method. Default `POST`. */
  method?: string;
  /** Path and query exactly as the request will send them, e.g. `/webhook_receivers/flow`. */
  path: string;
  /** The body: bytes and strings are signed as they are, anything else as `JSON.stringify(body)`. */
  body: Buffer | string | object;
  /** The `Date` header: a Date (formatted as an IMF-fixdate) or a string used verbatim. Default: now. */
  date?: Date | string;
}

/** The headers of a Flow webhook delivery, lower-case as Node receives them. */
export interface FlowWebhookHeaders {
  /** IMF-fixdate, e.g. `Sat, 23 Jan 2021 21:43:14 GMT`. */
  date: string;
  /** `SHA-256=` + base64 of the body's SHA-256. */
  digest: string;
  /** `Signature keyId="…",algorithm="hmac-sha256",headers="(request-target) date digest",signature="…"`. */
  authorization: string;
  /** Always `application/json`. */
  'content-type': string;
  /** Always `application/json`. */
  accept: string;
  /** The API version Cognito announces. */
  'cognito-version': string;
  /** Headers as a plain record, ready for `fetch` or supertest's `set`. */
  [header: string]: string;
}

/** The `Cognito-Version` Flow webhooks carry. */
export const FLOW_WEBHOOK_API_VERSION = '2020-08-14';

/** The raw bytes {@link signFlowWebhook} signs for a given body. */
export function flowWebhookBodyBytes(body: Buffer | string | object): Buffer {
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
}

function defaultKeyId(secret: string): string {
  const shape = flowKeyShape(secret);
  const environment = shape.kind === 'secret' ? shape.environment : 'live';
  return `${environment}_key_${'0'.repeat(32)}`;
}

/**
 * Signs a webhook delivery exactly as Cognito does and returns its headers, so a host can test
 * its receiver: `request(app).post(path).set(signFlowWebhook({ secret, path, body })).send(body)`.
 * Send the body as the same bytes (a string or Buffer, or the object that is JSON-stringified here).
 */
export function signFlowWebhook(options: SignFlowWebhookOptions): FlowWebhookHeaders {
  const { secret, path } = options;
  if (typeof secret !== 'string' || secret === '') {
    throw new TypeError('signFlowWebhook: secret must be a non-empty string.');
  }
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new TypeError(
      "signFlowWebhook: path must start with '/', e.g. '/webhook_receivers/flow'.",
    );
  }
  if (options.date instanceof Date && Number.isNaN(options.date.getTime())) {
    throw new TypeError(
      'signFlowWebhook: date is an invalid Date; pass a valid Date or the header text.',
    );
  }
  const bytes = flowWebhookBodyBytes(options.body);
  const signed = signFlowRequest({
    secret,
    keyId: options.apiKey ?? defaultKeyId(secret),
    method: options.method ?? 'POST',
    path,
    body: bytes,
    date: options.date,
  });
  return {
    ...signed,
    'content-type': 'application/json',
    accept: 'application/json',
    'cognito-version': FLOW_WEBHOOK_API_VERSION,
    // No Content-Length: the HTTP client computes it from the bytes it sends, so it can never
    // disagree with them (a stale one would fail as a socket error, not as a clear refusal).
  };
}
