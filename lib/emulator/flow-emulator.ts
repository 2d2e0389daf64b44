import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hideSecrets } from '../config/hide-secrets.js';
import { createFlowRequestVerifier } from '../verifier/verify-flow-request.js';
import { createFlowStartCheck } from './customer-reference-check.js';
import { answerApi, isApiPath } from './emulator-api-routes.js';
import { answerBrowser } from './emulator-browser-routes.js';
import { BodyTooLargeError, readRawBody, sendError } from './emulator-http.js';
import { admitRequest, type EmulatorAdmission } from './emulator-admission.js';
import { createControlToken, emulatorHosts, emulatorOrigins } from './emulator-request-gate.js';
import { appOrigins } from './allowed-origins.js';
import { registerEmulatorOrigins } from '../option-checks/emulator-settings.js';
import type { FlowEmulator } from './flow-emulator-handle.js';
import {
  FlowEmulatorSessions,
  FlowSessionStateError,
  type FlowEmulatorSession,
  type FlowSessionAction,
} from './emulator-sessions.js';
import { FlowEmulatorError } from './flow-emulator.error.js';
import { customerReferenceProblem } from '../signing/customer-reference.js';
import { runTrigger, STATUS_ACTIONS, triggerProblem } from './emulator-trigger.js';

export type { FlowEmulator, FlowEmulatorEndStatus } from './flow-emulator-handle.js';
import {
  resolveFlowEmulatorOptions,
  resolveWebhookUrl,
  type FlowEmulatorOptions,
} from './flow-emulator-options.js';
import { WebhookDeliveries } from './webhook-deliveries.js';

/** Runs a session change, reporting a state refusal as {@link FlowEmulatorError} `session_state`. */
function asEmulatorError<T>(change: () => T): T {
  try {
    return change();
  } catch (error) {
    if (error instanceof FlowSessionStateError)
      throw new FlowEmulatorError('session_state', error.message);
    throw error;
  }
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
  const controlToken = createControlToken();
  let known = appOrigins(resolved.allowedOrigins, webhookUrl);
  // Filled once the port is known, before the first request can arrive.
  const admission = {
    token: controlToken,
    hosts: new Set<string>(),
    own: new Set<string>(),
    app: () => known,
  } satisfies EmulatorAdmission;
  const sessions = new FlowEmulatorSessions({
    steps: resolved.steps,
    shareableUrl: (templateId, key) => `${origin}/verify/${templateId}?key=${key}`,
    identity: (reference) => resolved.identity(reference),
  });
  const unsigned = { count: 0, limit: resolved.unsignedSessionLimit };
  const deliveries = new WebhookDeliveries({
    secret: keys.apiSecret,
    apiKey: keys.apiKey,
    environment: resolved.environment,
    retryDelaysMs: resolved.retryDelaysMs,
    timeoutMs: resolved.deliveryTimeoutMs,
    url: () => webhookUrl,
    onAttempt: resolved.onAttempt,
  });
  const deliver = (events: Parameters<typeof deliveries.send>[0]) => deliveries.send(events);
  const verify = createFlowRequestVerifier({ secrets: [keys.apiSecret], apiKeys: [keys.apiKey] });
  const check = createFlowStartCheck(keys);
  const state = () => ({
    scriptUrl: `${origin}/flow.js`,
    apiBaseUrl: origin,
    webhookUrl: webhookUrl?.href,
    apiKey: keys.apiKey,
    publishableKey: keys.publishableKey,
    templateId: keys.templateId,
    controlToken,
    sessions: sessions.list(),
    deliveries: deliveries.list(),
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = admitRequest(admission, request, response);
    if (url === undefined) return;
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
    if (isApiPath(url.pathname))
      return answerApi(
        {
          verify,
          sessions,
          templateId: keys.templateId,
          cognitoVersions: resolved.cognitoVersions,
          deliver,
        },
        request,
        response,
        url,
        rawBody,
      );
    const context = {
      origin,
      ownOrigins: admission.own,
      appOrigins: known,
      check,
      sessions,
      templateId: keys.templateId,
      allowedOrigins: resolved.allowedOrigins,
      unsigned,
      deliver,
      state,
    };
    if (!(await answerBrowser(context, request, response, url, rawBody)))
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
  for (const name of [...emulatorHosts(address.port), `${host}:${address.port}`])
    admission.hosts.add(name.toLowerCase());
  for (const own of [...emulatorOrigins(address.port), origin]) admission.own.add(own);
  // FlowModule refuses these as its API base URL under production.
  const forget = registerEmulatorOrigins(admission.own);
  let closed = false;
  const assertOpen = () => {
    if (closed) throw new FlowEmulatorError('closed', 'The emulator was closed.');
  };

  const finish = async (customerReference: string, action: FlowSessionAction) => {
    assertOpen();
    const { session } = sessions.open(customerReference, keys.templateId, { idempotent: true });
    await deliveries.send(asEmulatorError(() => sessions.act(session.id, action)));
    return sessions.get(session.id) as FlowEmulatorSession;
  };

  return {
    url: `${origin}/`,
    scriptUrl: `${origin}/flow.js`,
    apiBaseUrl: origin,
    keys,
    controlToken,
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
    async end(customerReference, status) {
      if (!Object.hasOwn(STATUS_ACTIONS, status))
        throw new FlowEmulatorError(
          'invalid_option',
          `end() takes one of ${Object.keys(STATUS_ACTIONS).join(', ')}.`,
        );
      return finish(customerReference, STATUS_ACTIONS[status]);
    },
    async retry(customerReference) {
      assertOpen();
      const retried = asEmulatorError(() => sessions.retry(customerReference, keys.templateId));
      await deliveries.send(retried.events);
      return retried.session;
    },
    async trigger(event, options = {}) {
      assertOpen();
      const problem =
        triggerProblem(event, options.status) ??
        (options.customerReference === undefined
          ? undefined
          : customerReferenceProblem(options.customerReference)?.message);
      if (problem) throw new FlowEmulatorError('invalid_option', `trigger(): ${problem}`);
      return runTrigger({ sessions, templateId: keys.templateId, deliver }, event, options);
    },
    get unsignedSessions() {
      return unsigned.count;
    },
    setWebhookUrl(url) {
      webhookUrl = url === undefined ? undefined : resolveWebhookUrl(url, resolved.allowRemote);
      known = appOrigins(resolved.allowedOrigins, webhookUrl);
    },
    async close() {
      if (closed) return;
      closed = true;
      forget();
      deliveries.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
