import { FLOW_SESSION_ID_SOURCE } from '../api/flow-session-id.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FlowVerificationError } from '../http-signature/flow-verification.error.js';
import { customerReferenceProblem } from '../signing/customer-reference.js';
import type { FlowRequestVerifier } from '../verifier/verify-flow-request.js';
import {
  FlowSessionStateError,
  type FlowEmulatorSessions,
  type FlowSessionEvent,
} from './emulator-sessions.js';
import { parseJsonObject, sendError, sendJson } from './emulator-http.js';

/** What the API routes work on. */
export interface EmulatorApiContext {
  verify: FlowRequestVerifier;
  sessions: FlowEmulatorSessions;
  templateId: string;
  /** `Cognito-Version` values accepted. */
  cognitoVersions: readonly string[];
  /** Sends a change's webhooks; resolves after their first attempts. */
  deliver(events: FlowSessionEvent[]): Promise<unknown>;
}

const JSON_API = 'application/vnd.api+json';
const JSON_API_HEADERS = { 'Content-Type': JSON_API };
const SESSION_PATH = new RegExp(`^/flow_sessions/(${FLOW_SESSION_ID_SOURCE})$`);

/** True for the paths of Cognito's API the emulator answers. */
export function isApiPath(pathname: string): boolean {
  return pathname === '/flow_sessions' || pathname.startsWith('/flow_sessions/');
}

function mediaType(value: string | undefined): string {
  return (value ?? '').split(';', 1)[0].trim().toLowerCase();
}

/** Why the request's headers are not Cognito's API's, as [status, code, message], or undefined. */
function headerProblem(
  context: EmulatorApiContext,
  request: IncomingMessage,
): [number, string, string] | undefined {
  const version = request.headersDistinct['cognito-version'];
  if (version === undefined || version.length !== 1)
    return [400, 'missing_version', 'The Cognito-Version header is required (e.g. 2020-08-14).'];
  if (!context.cognitoVersions.includes(version[0]))
    return [400, 'invalid_version', `Cognito-Version ${version[0]} is not a supported version.`];
  const accept = request.headers.accept;
  const acceptable = (accept ?? '*/*')
    .split(',')
    .map(mediaType)
    .some((type) => type === JSON_API || type === '*/*' || type === 'application/*');
  if (!acceptable)
    return [406, 'not_acceptable', `The API answers ${JSON_API}: send Accept: ${JSON_API}.`];
  if (request.method === 'POST' && mediaType(request.headers['content-type']) !== JSON_API)
    return [415, 'unsupported_media_type', `Send the body as Content-Type: ${JSON_API}.`];
  return undefined;
}

/** The body's customer reference and template, or the 422 to answer. */
function readPair(
  context: EmulatorApiContext,
  body: Record<string, unknown> | undefined,
  reference: unknown,
): [number, string, string] | string {
  if (body === undefined) return [422, 'invalid_body', 'The body must be a JSON object.'];
  if (body.template_id !== context.templateId)
    return [422, 'invalid_template', "template_id is not this emulator's template."];
  const problem = customerReferenceProblem(reference);
  if (problem) return [422, 'invalid_customer_reference', problem.message];
  return reference as string;
}

/**
 * Cognito's API as `FlowApiClient` and other integrations call it: `POST /flow_sessions` (with
 * `?idempotent=true`: 201 for a new session, 200 with the same one after; without it, a new
 * session each time), `POST /flow_sessions/retry` and `GET /flow_sessions/{id}`. Every request
 * must be signed (401), carry a supported `Cognito-Version` (400) and speak JSON:API (406, 415),
 * each refusal with an `errors` array.
 */
export async function answerApi(
  context: EmulatorApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  rawBody: Buffer,
): Promise<void> {
  const refuse = ([status, code, message]: [number, string, string]) =>
    sendError(response, status, code, message, JSON_API_HEADERS);
  const answer = (status: number, body: unknown) =>
    sendJson(response, status, body, JSON_API_HEADERS);
  try {
    context.verify({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      headersDistinct: request.headersDistinct,
      rawBody,
    });
  } catch (error) {
    if (!(error instanceof FlowVerificationError)) throw error;
    return refuse([401, error.reason, `The request's signature was refused (${error.reason}).`]);
  }
  const problem = headerProblem(context, request);
  if (problem) return refuse(problem);
  const { pathname } = url;
  if (pathname === '/flow_sessions' && request.method === 'POST') {
    const body = parseJsonObject(rawBody);
    const user = body?.user as { customer_reference?: unknown; email?: unknown } | undefined;
    if (user === null || typeof user !== 'object')
      return refuse([422, 'invalid_body', 'The body must be a JSON object with a user.']);
    const pair = readPair(context, body, user.customer_reference);
    if (typeof pair !== 'string') return refuse(pair);
    if (user.email !== undefined && typeof user.email !== 'string')
      return refuse([422, 'invalid_email', 'user.email must be a string.']);
    const { session, created } = context.sessions.open(pair, context.templateId, {
      idempotent: url.searchParams.get('idempotent') === 'true',
      email: user.email,
    });
    return answer(created ? 201 : 200, session);
  }
  if (pathname === '/flow_sessions/retry' && request.method === 'POST') {
    const body = parseJsonObject(rawBody);
    const pair = readPair(context, body, body?.customer_reference);
    if (typeof pair !== 'string') return refuse(pair);
    if (body?.strategy !== 'reset')
      return refuse([422, 'invalid_strategy', 'The emulator retries with strategy reset only.']);
    let retried;
    try {
      retried = context.sessions.retry(pair, context.templateId);
    } catch (error) {
      if (!(error instanceof FlowSessionStateError)) throw error;
      return refuse([404, 'not_found', error.message]);
    }
    await context.deliver(retried.events);
    return answer(201, retried.session);
  }
  const match = SESSION_PATH.exec(pathname);
  if (match && request.method === 'GET') {
    const session = context.sessions.get(match[1]);
    if (!session) return refuse([404, 'not_found', `No flow session ${match[1]}.`]);
    return answer(200, session);
  }
  refuse([
    404,
    'not_found',
    'The emulator answers POST /flow_sessions, POST /flow_sessions/retry and GET /flow_sessions/{id}.',
  ]);
}
