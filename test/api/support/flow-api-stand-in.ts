import httpSignature from 'http-signature';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFlowRequestVerifier } from '../../../lib/index.js';

/** One request as the stand-in received it, and what each verifier said of it. */
export interface ReceivedApiRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** This package's verifier accepted it. */
  ownVerifier: boolean;
  /** The `http-signature` reference library accepted it (signature, signed headers, clock skew). */
  referenceVerifier: boolean;
}

/** A scripted answer served instead of the normal one, in order, one per request. */
export type ScriptedAnswer =
  | { status: number; body?: unknown; retryAfter?: string }
  /** Accept the request and never answer it. */
  | { hang: true }
  /** Close the connection without an answer. */
  | { destroy: true };

/** Options of {@link startFlowApiStandIn}. */
export interface FlowApiStandInOptions {
  secret: string;
  apiKey: string;
  /** A path prefix the API is mounted under (as behind a proxy). Default none. */
  pathPrefix?: string;
}

/** A running stand-in of Cognito's Flow API on loopback. */
export interface FlowApiStandIn {
  /** `http://127.0.0.1:<port><prefix>`. */
  baseUrl: string;
  port: number;
  /** Every request received, in order. */
  requests: ReceivedApiRequest[];
  /** Answers to serve before normal routing (shifted one per request). */
  script: ScriptedAnswer[];
  /** Sessions by id; a test may add or change one (e.g. its status). */
  sessions: Map<string, Record<string, unknown>>;
  /** The `Content-Type` of its answers; Cognito's is `application/vnd.api+json`. */
  answerType: string;
  close(): Promise<void>;
}

const META = 'This API format is not v1.0 and is subject to change.';

function sessionId(): string {
  return `flwses_${randomBytes(7).toString('hex')}`;
}

const JSON_API = 'application/vnd.api+json';

function sendAnswer(
  response: ServerResponse,
  status: number,
  body: unknown,
  retryAfter?: string,
  type = JSON_API,
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'Content-Type': type };
  if (retryAfter !== undefined) headers['Retry-After'] = retryAfter;
  response.writeHead(status, headers).end(text);
}

function problem(code: string, message: string): { errors: Array<Record<string, string>> } {
  return { errors: [{ code, message }] };
}

/**
 * Starts a stand-in of Cognito's API that verifies every request twice, with this package's
 * verifier and with the `http-signature` reference library, refusing (401) what either refuses,
 * and answers like Cognito: `POST /flow_sessions?idempotent=true` 201 then 200 with the same
 * session, `GET /flow_sessions/{id}` 200 or 404 with an `errors` array, 422 for a bad body.
 */
export async function startFlowApiStandIn(options: FlowApiStandInOptions): Promise<FlowApiStandIn> {
  const prefix = options.pathPrefix ?? '';
  const verify = createFlowRequestVerifier({
    secrets: [options.secret],
    apiKeys: [options.apiKey],
  });
  const requests: ReceivedApiRequest[] = [];
  const script: ScriptedAnswer[] = [];
  const sessions = new Map<string, Record<string, unknown>>();
  const byUser = new Map<string, string>();
  const hanging = new Set<ServerResponse>();

  function verdicts(request: IncomingMessage, raw: Buffer): [boolean, boolean] {
    let own: boolean;
    try {
      verify({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        rawBody: raw,
      });
      own = true;
    } catch {
      own = false;
    }
    let reference: boolean;
    try {
      const parsed = httpSignature.parseRequest(
        {
          method: request.method ?? '',
          url: request.url ?? '',
          httpVersion: request.httpVersion,
          headers: request.headers,
        },
        { headers: ['(request-target)', 'date', 'digest'], clockSkew: 300, strict: true },
      );
      reference =
        parsed.keyId === options.apiKey &&
        parsed.algorithm === 'HMAC-SHA256' &&
        httpSignature.verifyHMAC(parsed, options.secret);
    } catch {
      reference = false;
    }
    return [own, reference];
  }

  function route(request: IncomingMessage, response: ServerResponse, body: string): void {
    const send = (status: number, answer: unknown) =>
      sendAnswer(response, status, answer, undefined, standIn.answerType);
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const path = url.pathname.slice(prefix.length);
    if (request.headers['cognito-version'] === undefined || request.headers.accept === undefined) {
      send(400, problem('bad_request', 'Cognito-Version and Accept are required.'));
      return;
    }
    if (request.method === 'POST' && request.headers['content-type'] !== JSON_API) {
      send(415, problem('unsupported_media_type', `Send ${JSON_API}.`));
      return;
    }
    if (request.method === 'POST' && path === '/flow_sessions/retry') {
      retry(body, send);
      return;
    }
    if (request.method === 'POST' && path === '/flow_sessions') {
      let input: {
        template_id?: unknown;
        shareable?: unknown;
        user?: { customer_reference?: unknown; email?: unknown };
      };
      try {
        input = JSON.parse(body) as typeof input;
      } catch {
        send(400, problem('bad_request', 'The body is not JSON.'));
        return;
      }
      const reference = input.user?.customer_reference;
      if (typeof input.template_id !== 'string' || !input.template_id.startsWith('flwtmp_')) {
        send(422, problem('invalid_template', 'template_id must be a flwtmp_ id.'));
        return;
      }
      if (typeof reference !== 'string' || reference === '') {
        send(422, problem('invalid_user', 'user.customer_reference is required.'));
        return;
      }
      const key = `${input.template_id}\n${reference}`;
      const idempotent = url.searchParams.get('idempotent') === 'true';
      const existing = idempotent ? byUser.get(key) : undefined;
      if (existing !== undefined) {
        send(200, sessions.get(existing));
        return;
      }
      const session = newSession(reference, input.template_id, null);
      if (input.shareable === true)
        session.shareable_url = `https://flow.cognitohq.com/verify/${String(session.id)}`;
      if (idempotent) byUser.set(key, String(session.id));
      send(201, session);
      return;
    }
    const match = /^\/flow_sessions\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && match) {
      const session = sessions.get(match[1]);
      if (session === undefined) send(404, problem('not_found', 'No flow session with this id.'));
      else send(200, session);
      return;
    }
    send(404, problem('not_found', 'No such route.'));
  }

  /** A session in the documented shape, its user's fields not given yet. */
  function newSession(
    reference: string,
    template: string,
    previous: string | null,
  ): Record<string, unknown> {
    const id = sessionId();
    const session: Record<string, unknown> = {
      id,
      status: 'active',
      customer_reference: reference,
      created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      completed_at: null,
      shareable_url: null,
      previous_session_id: previous,
      screening_id: null,
      template: { id: template, version: 1 },
      steps: { accept_tos: 'active' },
      user: {
        name: null,
        email: null,
        phone: null,
        address: null,
        id_number: null,
        ip_address: null,
        date_of_birth: null,
      },
      kyc_check: null,
      documentary_verification: null,
      _meta: META,
    };
    sessions.set(id, session);
    return session;
  }

  /** `POST /flow_sessions/retry`: a new session replacing the pair's current one, which ends canceled. */
  function retry(body: string, send: (status: number, answer: unknown) => void): void {
    let input: { customer_reference?: unknown; template_id?: unknown; strategy?: unknown };
    try {
      input = JSON.parse(body) as typeof input;
    } catch {
      send(400, problem('bad_request', 'The body is not JSON.'));
      return;
    }
    const key = `${String(input.template_id)}\n${String(input.customer_reference)}`;
    const old = byUser.get(key);
    if (old === undefined || typeof input.strategy !== 'string') {
      send(404, problem('not_found', 'No session to retry for this user and template.'));
      return;
    }
    (sessions.get(old) as Record<string, unknown>).status = 'canceled';
    const session = newSession(String(input.customer_reference), String(input.template_id), old);
    byUser.set(key, String(session.id));
    send(201, session);
  }

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const [ownVerifier, referenceVerifier] = verdicts(request, raw);
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: { ...request.headers },
        body: raw.toString('utf8'),
        ownVerifier,
        referenceVerifier,
      });
      const scripted = script.shift();
      if (scripted !== undefined) {
        if ('hang' in scripted) {
          hanging.add(response);
          return;
        }
        if ('destroy' in scripted) {
          request.socket.destroy();
          return;
        }
        sendAnswer(
          response,
          scripted.status,
          scripted.body ?? problem('scripted', 'Scripted answer.'),
          scripted.retryAfter,
        );
        return;
      }
      if (!ownVerifier || !referenceVerifier) {
        sendAnswer(response, 401, problem('unauthorized', 'The request signature is not valid.'));
        return;
      }
      route(request, response, raw.toString('utf8'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const standIn: FlowApiStandIn = {
    baseUrl: `http://127.0.0.1:${port}${prefix}`,
    port,
    requests,
    script,
    sessions,
    answerType: JSON_API,
    close: async () => {
      for (const response of hanging) response.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return standIn;
}
