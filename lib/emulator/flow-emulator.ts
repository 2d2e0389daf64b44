import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hideSecrets } from '../config/hide-secrets.js';
import { createFlowRequestVerifier } from '../verifier/verify-flow-request.js';
import { createFlowStartCheck } from './customer-reference-check.js';
import { answerApi, isApiPath } from './emulator-api-routes.js';
import { answerBrowser } from './emulator-browser-routes.js';
import { BodyTooLargeError, readRawBody, sendError } from './emulator-http.js';
import type { FlowEmulatorKeys } from './emulator-keys.js';
import { FlowEmulatorSessions, type FlowEmulatorSession } from './emulator-sessions.js';
import { FlowEmulatorError } from './flow-emulator.error.js';
import {
  resolveFlowEmulatorOptions,
  resolveWebhookUrl,
  type FlowEmulatorOptions,
} from './flow-emulator-options.js';
import { WebhookDeliveries, type FlowEmulatorDelivery } from './webhook-deliveries.js';

/** A running emulator. See {@link startFlowEmulator}. */
export interface FlowEmulator {
  /** The status page, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  /** The drop-in for Cognito's `flow.js`. */
  readonly scriptUrl: string;
  /** The base URL of the emulated API (`FLOW_API_BASE_URL`). */
  readonly apiBaseUrl: string;
  /** The keys it runs on; `apiSecret` prints and serialises redacted. */
  readonly keys: Readonly<FlowEmulatorKeys>;
  /** Where webhooks go now, or undefined. */
  readonly webhookUrl: string | undefined;
  /** Copies of every session, oldest first. */
  readonly sessions: FlowEmulatorSession[];
  /** Copies of every webhook delivery with its attempts, oldest first. */
  readonly deliveries: FlowEmulatorDelivery[];
  /**
   * Completes the verification of a customer reference as a user clicking "Pass verification"
   * would (opening a session first if there is none); resolves once each webhook had its first attempt.
   */
  pass(customerReference: string): Promise<FlowEmulatorSession>;
  /** As {@link FlowEmulator.pass}, ending in `failed`. */
  fail(customerReference: string): Promise<FlowEmulatorSession>;
  /** Changes where later webhooks go (a host that learns its port after the emulator started). */
  setWebhookUrl(url: string | undefined): void;
  /** Stops the server and cancels pending retries. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts a local stand-in of Cognito Flow on a loopback address: `/flow.js`, an emulated session
 * dialog, signed webhooks to `webhookUrl`, the API subset of `FlowApiClient`, hosted session pages
 * and a status page. Keys not given are generated. Not Cognito: no document is checked.
 */
export async function startFlowEmulator(options: FlowEmulatorOptions = {}): Promise<FlowEmulator> {
  const resolved = resolveFlowEmulatorOptions(options);
  const keys = hideSecrets({ ...resolved.keys });
  let webhookUrl = resolved.webhookUrl;
  let origin = '';
  const sessions = new FlowEmulatorSessions(resolved.steps, (id) => `${origin}/hosted/${id}`);
  const deliveries = new WebhookDeliveries({
    secret: keys.apiSecret,
    apiKey: keys.apiKey,
    environment: resolved.environment,
    retryDelaysMs: resolved.retryDelaysMs,
    timeoutMs: resolved.deliveryTimeoutMs,
    url: () => webhookUrl,
    onAttempt: resolved.onAttempt,
  });
  const verify = createFlowRequestVerifier({ secrets: [keys.apiSecret], apiKeys: [keys.apiKey] });
  const check = createFlowStartCheck(keys);
  const state = () => ({
    scriptUrl: `${origin}/flow.js`,
    apiBaseUrl: origin,
    webhookUrl: webhookUrl?.href,
    publishableKey: keys.publishableKey,
    templateId: keys.templateId,
    sessions: sessions.list(),
    deliveries: deliveries.list(),
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = new URL(request.url ?? '/', 'http://emulator.invalid').pathname;
    let rawBody: Buffer;
    try {
      rawBody = await readRawBody(request);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return sendError(response, 413, 'body_too_large', 'The body is larger than 64 KiB.', {
          Connection: 'close',
        });
      throw error;
    }
    if (isApiPath(pathname))
      return answerApi(
        { verify, sessions, templateId: keys.templateId },
        request,
        response,
        pathname,
        rawBody,
      );
    const context = {
      origin,
      check,
      sessions,
      templateId: keys.templateId,
      deliver: (events: Parameters<typeof deliveries.send>[0]) => deliveries.send(events),
      state,
    };
    if (!(await answerBrowser(context, request, response, pathname, rawBody)))
      sendError(
        response,
        404,
        'not_found',
        'Not a route of the Flow emulator; see its status page at /.',
      );
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendError(response, 500, 'emulator_error', 'The emulator failed.');
      else response.destroy();
    });
  });
  const address = await listen(server, resolved.port, resolved.host);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;
  let closed = false;

  const finish = async (customerReference: string, action: 'pass' | 'fail') => {
    if (closed) throw new FlowEmulatorError('closed', 'The emulator was closed.');
    const { session } = sessions.open(customerReference, keys.templateId);
    await deliveries.send(sessions.act(session.id, action));
    return sessions.get(session.id) as FlowEmulatorSession;
  };

  return {
    url: `${origin}/`,
    scriptUrl: `${origin}/flow.js`,
    apiBaseUrl: origin,
    keys,
    get webhookUrl() {
      return webhookUrl?.href;
    },
    get sessions() {
      return sessions.list();
    },
    get deliveries() {
      return deliveries.list();
    },
    pass: (customerReference) => finish(customerReference, 'pass'),
    fail: (customerReference) => finish(customerReference, 'fail'),
    setWebhookUrl(url) {
      webhookUrl = url === undefined ? undefined : resolveWebhookUrl(url, resolved.allowRemote);
    },
    async close() {
      if (closed) return;
      closed = true;
      deliveries.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
