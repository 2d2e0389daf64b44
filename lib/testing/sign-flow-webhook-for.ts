import { FLOW_APP_INFO, type FlowAppInfo } from '../registration/flow-app-info.js';
import { signFlowWebhook, type FlowWebhookHeaders } from '../http-signature/sign-flow-webhook.js';

/** What {@link signFlowWebhookFor} takes besides the app and the body. */
export interface SignFlowWebhookForOptions {
  /**
   * The path the request is sent to, exactly as sent. Default: the built-in receiver's path under
   * the app's global prefix (`/api/webhook_receivers/flow`). Give it when the receiver has a
   * version in the URI, the prefix excludes it, or the route is the host's own.
   */
  path?: string;
  /** HTTP method. Default `POST`. */
  method?: string;
  /** The `Date` header (a Date or the header text). Default: now. */
  date?: Date | string;
}

/** What the helper needs of the app: `INestApplication`, or a compiled `TestingModule`. */
export interface FlowAppLike {
  /** Nest's `get(token, { strict: false, each: true })`. */
  get(token: symbol, options: { strict: boolean; each: true }): unknown[];
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** Every FlowModule registration's view of the app (usually one). */
function registrations(app: FlowAppLike): FlowAppInfo[] {
  let found: unknown[];
  try {
    found = app.get(FLOW_APP_INFO, { strict: false, each: true });
  } catch {
    found = [];
  }
  if (found.length === 0) {
    throw new TypeError(
      'signFlowWebhookFor: no FlowModule in this app. Pass the created app (or the compiled TestingModule).',
    );
  }
  return [...new Set(found)] as FlowAppInfo[];
}

function pick(found: FlowAppInfo[], path: string | undefined): FlowAppInfo {
  if (found.length === 1 || path === undefined) return found[0];
  const wanted = trimSlashes(path.split('?')[0]);
  const match = found.find((info) => {
    const receiver = info.options.webhook.path;
    return receiver !== undefined && wanted.endsWith(trimSlashes(receiver));
  });
  if (!match) {
    throw new TypeError(
      `signFlowWebhookFor: this app has ${found.length} FlowModule registrations and none receives on ${path}.`,
    );
  }
  return match;
}

/**
 * Signs a delivery for a running app with that app's own settings (its API secret, its `apiKey`
 * as `keyId`, its receiver path under the global prefix), exactly as Cognito would. A test thus
 * passes whatever `FLOW_*` variables or factory the app reads its options from:
 * `request(app.getHttpServer()).post(path).set(signFlowWebhookFor(app, body)).send(body)`.
 */
export function signFlowWebhookFor(
  app: FlowAppLike,
  body: Buffer | string | object,
  options: SignFlowWebhookForOptions = {},
): FlowWebhookHeaders {
  const info = pick(registrations(app), options.path);
  let path = options.path;
  if (path === undefined) {
    const receiver = info.options.webhook.path;
    if (receiver === undefined) {
      throw new TypeError(
        'signFlowWebhookFor: the app has no built-in receiver (webhook.path); pass { path } of your route.',
      );
    }
    const parts = [trimSlashes(info.globalPrefix()), trimSlashes(receiver)];
    path = `/${parts.filter((part) => part !== '').join('/')}`;
  }
  return signFlowWebhook({
    secret: info.options.apiSecret,
    apiKey: info.options.apiKey,
    path,
    body,
    method: options.method,
    date: options.date,
  });
}
