import type { INestApplicationContext } from '@nestjs/common';
import { ApplicationConfig, ModulesContainer } from '@nestjs/core';
import { FlowOptions } from '../config/flow-options.js';
import { FLOW_OPTIONS } from '../flow.constants.js';
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

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** Every FlowModule registration's options in the app (usually one). */
function registeredOptions(app: Pick<INestApplicationContext, 'get'>): FlowOptions[] {
  const container = app.get(ModulesContainer, { strict: false });
  const found = new Set<FlowOptions>();
  for (const module of container.values()) {
    const instance = module.providers.get(FLOW_OPTIONS)?.instance;
    if (instance instanceof FlowOptions) found.add(instance);
  }
  return [...found];
}

function pick(options: FlowOptions[], path: string | undefined): FlowOptions {
  if (options.length === 0) {
    throw new TypeError(
      'signFlowWebhookFor: no FlowModule in this app. Pass the app after app.init() (or the compiled TestingModule).',
    );
  }
  if (options.length === 1 || path === undefined) return options[0];
  const wanted = trimSlashes(path.split('?')[0]);
  const match = options.find((candidate) => {
    const receiver = candidate.webhook.path;
    return receiver !== undefined && wanted.endsWith(trimSlashes(receiver));
  });
  if (!match) {
    throw new TypeError(
      `signFlowWebhookFor: this app has ${options.length} FlowModule registrations and none receives on ${path}.`,
    );
  }
  return match;
}

/**
 * Signs a delivery for a running app with that app's own settings (its API secret, its `apiKey`
 * as `keyId`, its receiver path under the global prefix), exactly as Cognito would. A test then
 * passes whatever `FLOW_*` variables or factory the app reads its options from:
 * `request(app.getHttpServer()).post(path).set(signFlowWebhookFor(app, body)).send(body)`.
 */
export function signFlowWebhookFor(
  app: Pick<INestApplicationContext, 'get'>,
  body: Buffer | string | object,
  options: SignFlowWebhookForOptions = {},
): FlowWebhookHeaders {
  const prefix = trimSlashes(app.get(ApplicationConfig, { strict: false }).getGlobalPrefix());
  const flow = pick(registeredOptions(app), options.path);
  let path = options.path;
  if (path === undefined) {
    if (flow.webhook.path === undefined) {
      throw new TypeError(
        'signFlowWebhookFor: the app has no built-in receiver (webhook.path); pass { path } of your route.',
      );
    }
    path = `/${[prefix, trimSlashes(flow.webhook.path)].filter((part) => part !== '').join('/')}`;
  }
  return signFlowWebhook({
    secret: flow.apiSecret,
    apiKey: flow.apiKey,
    path,
    body,
    method: options.method,
    date: options.date,
  });
}
