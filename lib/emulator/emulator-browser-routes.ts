import { FLOW_SESSION_ID_SOURCE } from '../api/flow-session-id.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { flowScript } from './assets/flow-script.js';
import { hostedPage } from './assets/hosted-page.js';
import { statusPage, type StatusPageState } from './assets/status-page.js';
import type { FlowStartCheck, FlowStartRequest } from './customer-reference-check.js';
import {
  FlowSessionStateError,
  type FlowEmulatorSessions,
  type FlowSessionAction,
  type FlowSessionEvent,
} from './emulator-sessions.js';
import { parseJsonObject, sendError, sendJson, sendText } from './emulator-http.js';

/** What the browser-facing routes work on. */
export interface EmulatorBrowserContext {
  origin: string;
  check: FlowStartCheck;
  sessions: FlowEmulatorSessions;
  templateId: string;
  /** Sends a change's webhooks; resolves after their first attempts. */
  deliver(events: FlowSessionEvent[]): Promise<void>;
  state(): StatusPageState;
}

// The page that embeds Flow is on another origin (the host app's); it may call these routes.
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST',
  'Access-Control-Allow-Headers': 'Content-Type',
};

const SESSION_ACTION = new RegExp(
  `^/emulator/sessions/(${FLOW_SESSION_ID_SOURCE})(?:/(advance|pass|fail|retry))?$`,
);
const HOSTED = new RegExp(`^/hosted/(${FLOW_SESSION_ID_SOURCE})$`);

/**
 * The routes a browser uses: `/flow.js`, the start check behind `new Flow(…).open()`, the
 * dialog's actions, the hosted page of a `shareable_url`, and the status page. Returns false when
 * the path is not one of them.
 */
export async function answerBrowser(
  context: EmulatorBrowserContext,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  rawBody: Buffer,
): Promise<boolean> {
  const method = request.method;
  if (method === 'OPTIONS' && pathname.startsWith('/emulator/')) {
    response.writeHead(204, { ...CORS, 'Access-Control-Max-Age': '600' });
    response.end();
    return true;
  }
  if (method === 'GET' && pathname === '/flow.js') {
    sendText(response, 'application/javascript', flowScript(context.origin), CORS);
    return true;
  }
  if (method === 'GET' && pathname === '/') {
    sendText(response, 'text/html', statusPage(context.state()));
    return true;
  }
  if (method === 'GET' && pathname === '/emulator/state') {
    const { sessions, deliveries } = context.state();
    sendJson(response, 200, { sessions, deliveries }, CORS);
    return true;
  }
  const hosted = HOSTED.exec(pathname);
  if (method === 'GET' && hosted) {
    if (!context.sessions.get(hosted[1])) sendError(response, 404, 'not_found', 'No such session.');
    else sendText(response, 'text/html', hostedPage(hosted[1]));
    return true;
  }
  if (method === 'POST' && pathname === '/emulator/open') {
    const body = (parseJsonObject(rawBody) ?? {}) as FlowStartRequest;
    const refusal = context.check(body);
    if (refusal) {
      sendError(response, refusal.status, refusal.code, refusal.message, CORS);
      return true;
    }
    const reference = body.user?.customerReference as string;
    const { session, created } = context.sessions.open(reference, context.templateId);
    sendJson(response, created ? 201 : 200, { created, session }, CORS);
    return true;
  }
  const action = SESSION_ACTION.exec(pathname);
  if (action && method === 'GET' && action[2] === undefined) {
    const session = context.sessions.get(action[1]);
    if (!session) sendError(response, 404, 'not_found', 'No such session.', CORS);
    else sendJson(response, 200, { session }, CORS);
    return true;
  }
  if (action && method === 'POST' && action[2] !== undefined) {
    try {
      const events = context.sessions.act(action[1], action[2] as FlowSessionAction);
      await context.deliver(events);
    } catch (error) {
      if (!(error instanceof FlowSessionStateError)) throw error;
      const status = context.sessions.get(action[1]) ? 409 : 404;
      sendError(response, status, status === 404 ? 'not_found' : error.code, error.message, CORS);
      return true;
    }
    sendJson(response, 200, { session: context.sessions.get(action[1]) }, CORS);
    return true;
  }
  return false;
}
