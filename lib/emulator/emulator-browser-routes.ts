import { FLOW_SESSION_ID_SOURCE } from '../api/flow-session-id.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { flowScript } from './assets/flow-script.js';
import { hostedPage } from './assets/hosted-page.js';
import { statusPage, type StatusPageState } from './assets/status-page.js';
import { isAllowedOrigin } from './allowed-origins.js';
import type { FlowStartCheck } from './customer-reference-check.js';
import {
  FlowSessionStateError,
  type FlowEmulatorSessions,
  type FlowSessionAction,
  type FlowSessionEvent,
} from './emulator-sessions.js';
import { parseJsonObject, sendError, sendJson, sendText } from './emulator-http.js';
import { corsHeaders } from './emulator-request-gate.js';

/** What the browser-facing routes work on. */
export interface EmulatorBrowserContext {
  origin: string;
  /** The emulator's own origins, under each loopback name. */
  ownOrigins: ReadonlySet<string>;
  /** The app's origins the emulator knows: the only ones given CORS answers. */
  appOrigins: ReadonlySet<string>;
  check: FlowStartCheck;
  sessions: FlowEmulatorSessions;
  templateId: string;
  /** The dashboard's domain allow-list, or undefined for any origin. */
  allowedOrigins?: ReadonlySet<string>;
  /** Sessions opened for unsigned references, and how many Flow allows. */
  unsigned: { count: number; readonly limit: number };
  /** Sends a change's webhooks; resolves after their first attempts. */
  deliver(events: FlowSessionEvent[]): Promise<unknown>;
  state(): StatusPageState;
}

// The emulator's own pages may not be framed by another site (the status page shows the token).
const NO_FRAMING = {
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
};

const SESSION_ACTION = new RegExp(
  `^/emulator/sessions/(${FLOW_SESSION_ID_SOURCE})(?:/(advance|pass|fail|retry|expire|cancel|review))?$`,
);
const HOSTED = /^\/verify\/(flwtmp_[A-Za-z0-9]{1,64})$/;

type OpenOutcome =
  | { status: number; error: readonly [string, string] }
  | { status: number; body: Record<string, unknown> };

/** `POST /emulator/open`: the checks Flow makes on `open()`, then the user's session. */
function open(
  context: EmulatorBrowserContext,
  request: IncomingMessage,
  rawBody: Buffer,
): OpenOutcome {
  const origin = request.headers.origin;
  if (
    !(typeof origin === 'string' && context.ownOrigins.has(origin)) &&
    !isAllowedOrigin(context.allowedOrigins, origin)
  )
    return {
      status: 403,
      error: [
        'origin_not_allowed',
        `Flow: this page's origin (${String(origin ?? 'none')}) is not in the domain allow-list ` +
          'of the Flow dashboard. Add it there (https only; no wildcards).',
      ],
    };
  const verdict = context.check(parseJsonObject(rawBody) ?? {});
  if ('status' in verdict)
    return { status: verdict.status, error: [verdict.code, verdict.message] };
  const { limit } = context.unsigned;
  if (!verdict.signed && context.unsigned.count >= limit)
    return {
      status: 403,
      error: [
        'unsigned_limit_reached',
        `Flow: this integration has opened ${limit} sessions without a signed customer reference ` +
          'and now requires user.signature: sign the customer reference on your backend with the API secret.',
      ],
    };
  const { session, created } = context.sessions.open(
    verdict.customerReference,
    context.templateId,
    {
      idempotent: true,
      email: verdict.email,
    },
  );
  if (verdict.signed) return { status: created ? 201 : 200, body: { created, session } };
  if (created) context.unsigned.count += 1;
  const warning =
    `Flow: user.signature is missing. Unsigned customer references work for the first ${limit} ` +
    `sessions only (${context.unsigned.count} used); sign the reference on your backend with the API secret.`;
  return { status: created ? 201 : 200, body: { created, session, warning } };
}

/**
 * The routes a browser uses: `/flow.js`, the start check behind `new Flow(…).open()`, the
 * dialog's actions, the hosted page of a `shareable_url`, and the status page. Returns false when
 * the path is not one of them.
 */
export async function answerBrowser(
  context: EmulatorBrowserContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  rawBody: Buffer,
): Promise<boolean> {
  const { pathname } = url;
  const method = request.method;
  // The page that embeds Flow is on the app's origin: only the app's known origins get CORS.
  const cors = corsHeaders(request.headers.origin, context.appOrigins);
  if (method === 'OPTIONS' && pathname.startsWith('/emulator/')) {
    response.writeHead(204, { ...cors, 'Access-Control-Max-Age': '600' });
    response.end();
    return true;
  }
  if (method === 'GET' && pathname === '/flow.js') {
    sendText(response, 'application/javascript', flowScript(context.origin), cors);
    return true;
  }
  if (method === 'GET' && pathname === '/') {
    sendText(response, 'text/html', statusPage(context.state()), NO_FRAMING);
    return true;
  }
  if (method === 'GET' && pathname === '/emulator/state') {
    // The public keys let a tool (`cognito-flow trigger`) call the API with only the secret in hand.
    const { apiKey, publishableKey, templateId, sessions, deliveries } = context.state();
    const keys = { apiKey, publishableKey, templateId };
    sendJson(response, 200, { keys, sessions, deliveries }, cors);
    return true;
  }
  const hosted = HOSTED.exec(pathname);
  if (method === 'GET' && hosted) {
    const session = context.sessions.byShareableKey(url.searchParams.get('key') ?? '');
    if (!session || session.template.id !== hosted[1])
      sendError(response, 404, 'not_found', 'No such session.');
    else sendText(response, 'text/html', hostedPage(session.id), NO_FRAMING);
    return true;
  }
  if (method === 'POST' && pathname === '/emulator/open') {
    const outcome = open(context, request, rawBody);
    if ('error' in outcome)
      sendError(response, outcome.status, outcome.error[0], outcome.error[1], cors);
    else sendJson(response, outcome.status, outcome.body, cors);
    return true;
  }
  const action = SESSION_ACTION.exec(pathname);
  if (action && method === 'GET' && action[2] === undefined) {
    const session = context.sessions.get(action[1]);
    if (!session) sendError(response, 404, 'not_found', 'No such session.', cors);
    else sendJson(response, 200, { session }, cors);
    return true;
  }
  if (action && method === 'POST' && action[2] !== undefined) {
    const before = context.sessions.get(action[1]);
    if (!before) {
      sendError(response, 404, 'not_found', 'No such session.', cors);
      return true;
    }
    let id = action[1];
    try {
      if (action[2] === 'retry') {
        if (before.status === 'active' || before.status === 'success')
          throw new FlowSessionStateError(`A ${String(before.status)} session is not retried.`);
        if (context.sessions.find(before.customer_reference, before.template.id)?.id !== id)
          throw new FlowSessionStateError('A newer session replaced this one: retry that one.');
        const retried = context.sessions.retry(before.customer_reference, before.template.id);
        id = retried.session.id;
        await context.deliver(retried.events);
      } else {
        await context.deliver(context.sessions.act(id, action[2] as FlowSessionAction));
      }
    } catch (error) {
      if (!(error instanceof FlowSessionStateError)) throw error;
      sendError(response, 409, error.code, error.message, cors);
      return true;
    }
    sendJson(response, 200, { session: context.sessions.get(id) }, cors);
    return true;
  }
  return false;
}
