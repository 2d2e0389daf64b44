import { FLOW_SESSION_ID_SOURCE } from '../api/flow-session-id.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FlowWebhookVerificationError } from '../http-signature/flow-webhook-verification.error.js';
import { customerReferenceProblem } from '../signing/customer-reference.js';
import type { FlowRequestVerifier } from '../verifier/verify-flow-request.js';
import type { FlowEmulatorSessions } from './emulator-sessions.js';
import { parseJsonObject, sendError, sendJson } from './emulator-http.js';

/** What the API routes work on. */
export interface EmulatorApiContext {
  verify: FlowRequestVerifier;
  sessions: FlowEmulatorSessions;
  templateId: string;
}

const SESSION_PATH = new RegExp(`^/flow_sessions/(${FLOW_SESSION_ID_SOURCE})$`);

/** True for the paths of Cognito's API the emulator answers. */
export function isApiPath(pathname: string): boolean {
  return pathname === '/flow_sessions' || pathname.startsWith('/flow_sessions/');
}

/**
 * Cognito's API subset that `FlowApiClient` uses: `POST /flow_sessions` (201 for a new session,
 * 200 with the same one after) and `GET /flow_sessions/{id}`. Every request must carry a valid
 * signature of this package's scheme, checked by its own verifier: 401 with an errors array if not.
 */
export function answerApi(
  context: EmulatorApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  rawBody: Buffer,
): void {
  try {
    context.verify({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      headersDistinct: request.headersDistinct,
      rawBody,
    });
  } catch (error) {
    if (!(error instanceof FlowWebhookVerificationError)) throw error;
    sendError(
      response,
      401,
      error.reason,
      `The request's signature was refused (${error.reason}).`,
    );
    return;
  }
  if (pathname === '/flow_sessions' && request.method === 'POST') {
    const body = parseJsonObject(rawBody);
    const user = body?.user as { customer_reference?: unknown; email?: unknown } | undefined;
    if (body === undefined || user === null || typeof user !== 'object')
      return sendError(
        response,
        422,
        'invalid_body',
        'The body must be a JSON object with a user.',
      );
    if (body.template_id !== context.templateId)
      return sendError(
        response,
        422,
        'invalid_template',
        "template_id is not this emulator's template.",
      );
    const problem = customerReferenceProblem(user.customer_reference);
    if (problem) return sendError(response, 422, 'invalid_customer_reference', problem.message);
    if (user.email !== undefined && typeof user.email !== 'string')
      return sendError(response, 422, 'invalid_email', 'user.email must be a string.');
    const { session, created } = context.sessions.open(
      user.customer_reference as string,
      context.templateId,
    );
    return sendJson(response, created ? 201 : 200, session);
  }
  const match = SESSION_PATH.exec(pathname);
  if (match && request.method === 'GET') {
    const session = context.sessions.get(match[1]);
    if (!session) return sendError(response, 404, 'not_found', `No flow session ${match[1]}.`);
    return sendJson(response, 200, session);
  }
  sendError(
    response,
    404,
    'not_found',
    'The emulator answers POST /flow_sessions and GET /flow_sessions/{id}.',
  );
}
