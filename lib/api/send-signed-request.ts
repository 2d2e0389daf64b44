import { setTimeout as sleep } from 'node:timers/promises';
import type { FlowRequestSigner } from '../http-signature/sign-flow-request.js';
import type { FlowApiBase } from './flow-api-base-url.js';
import { FlowApiError, type FlowApiErrorCode } from './flow-api-error.js';
import type { FlowApiObserver, FlowApiRequestOutcome } from './flow-api-observer.js';
import type { FlowApiSession } from './flow-api-session.js';
import {
  isJsonAnswer,
  JSON_API_MEDIA_TYPE,
  MAX_API_ANSWER_BYTES,
  readErrorDetails,
  readSession,
  readSizedText,
} from './read-api-answer.js';
import {
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
  type FlowApiRetryPolicy,
} from './retry-policy.js';

/** What every request of one client shares: the prepared signer and the settings. */
export interface FlowApiTransport {
  readonly sign: FlowRequestSigner;
  readonly base: FlowApiBase;
  readonly timeoutMs: number;
  readonly cognitoVersion: string;
  readonly policy: FlowApiRetryPolicy;
  /** Told of each request, when the module's telemetry records. */
  readonly observer?: FlowApiObserver;
}

/** One API call. */
export interface FlowApiCall {
  method: 'GET' | 'POST';
  /** Path and query below the base URL (`/flow_sessions?idempotent=true`). */
  path: string;
  /** The JSON text sent, `''` for none. */
  body: string;
  /** True when repeating the call cannot do anything twice (a GET, an idempotent POST). */
  retrySafe: boolean;
  /** The operation's name for telemetry (`flow_sessions.get`). */
  operation: string;
  /** The path without query, with `{id}` where an id goes (`/flow_sessions/{id}`). */
  template: string;
}

/** A 2xx answer carrying a session. */
export interface FlowApiAnswer {
  status: number;
  session: FlowApiSession;
}

interface Failure {
  code: FlowApiErrorCode;
  message: string;
  status?: number;
  errors?: FlowApiError['errors'];
  retryable: boolean;
  retryAfterMs?: number;
}

const HINTS: Record<number, string> = {
  401: ' Check that FLOW_API_KEY and FLOW_API_SECRET are a pair from the same environment and that the server clock is right.',
  403: ' The key is not allowed this call; check its permissions in the Flow dashboard.',
  404: ' No such resource for this key (is the id from the same environment?).',
};

/**
 * Sends one call, signing every attempt afresh (a new `Date`), and retries only what is safe to
 * repeat and may succeed later: network errors, timeouts, 429 and 5xx, with jittered backoff that
 * honours `Retry-After`. Redirects are not followed, so the signature never leaves the API host.
 */
export async function sendSignedRequest(
  transport: FlowApiTransport,
  call: FlowApiCall,
): Promise<FlowApiAnswer> {
  const { base, policy } = transport;
  const signedPath = base.pathPrefix + call.path;
  const url = base.origin + signedPath;
  const request = `${call.method} ${call.path.replace(/\?.*$/, '')}`;
  const attemptsAllowed = call.retrySafe ? policy.maxRetries + 1 : 1;
  for (let attempt = 1; ; attempt++) {
    const ended = transport.observer?.apiRequest({
      operation: call.operation,
      method: call.method,
      url: base.origin + base.pathPrefix + call.template.replace('{id}', 'REDACTED'),
      template: call.template,
      attempt,
    });
    const failure = await attemptOnce(transport, call, url, signedPath);
    const last = 'session' in failure || !failure.retryable || attempt >= attemptsAllowed;
    ended?.(outcomeOf(failure, !last));
    if ('session' in failure) return failure;
    if (last) {
      const retried = attempt > 1 ? ` after ${attempt} attempts` : '';
      throw new FlowApiError({
        ...failure,
        message: `${request}: ${failure.message}${retried}.${failure.status ? (HINTS[failure.status] ?? '') : ''}`,
        request,
        attempts: attempt,
      });
    }
    await sleep(retryDelayMs(policy, attempt, failure.retryAfterMs));
  }
}

async function attemptOnce(
  transport: FlowApiTransport,
  call: FlowApiCall,
  url: string,
  signedPath: string,
): Promise<FlowApiAnswer | Failure> {
  const signed = transport.sign({ method: call.method, path: signedPath, body: call.body });
  const headers: Record<string, string> = {
    Accept: JSON_API_MEDIA_TYPE,
    'Cognito-Version': transport.cognitoVersion,
    Date: signed.date,
    Digest: signed.digest,
    Authorization: signed.authorization,
  };
  if (call.body !== '') headers['Content-Type'] = JSON_API_MEDIA_TYPE;
  const signal = AbortSignal.timeout(transport.timeoutMs);
  let response: Response;
  let text: string | undefined;
  try {
    response = await fetch(url, {
      method: call.method,
      headers,
      body: call.body === '' ? undefined : call.body,
      redirect: 'manual',
      signal,
    });
    text = await readSizedText(response);
  } catch (error) {
    return transportFailure(error, signal, transport.timeoutMs);
  }
  const { status } = response;
  if (text === undefined) {
    // Not retryable: the same server would send the same body, read to the cap again.
    return {
      code: 'answer_too_large',
      message: `Cognito's API answered ${status} with a body over ${MAX_API_ANSWER_BYTES} bytes, not read past them`,
      status,
      retryable: false,
    };
  }
  if (status >= 200 && status <= 299) {
    const session = isJsonAnswer(response.headers.get('content-type'))
      ? readSession(text)
      : undefined;
    return session === undefined
      ? {
          code: 'invalid_response',
          message: `Cognito's API answered ${status} with a body that is not a flow session`,
          status,
          retryable: false,
        }
      : { status, session };
  }
  const errors = readErrorDetails(text);
  const codes = errors.flatMap((detail) => (typeof detail.code === 'string' ? [detail.code] : []));
  return {
    code: 'http',
    message: `Cognito's API answered ${status}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}`,
    status,
    errors,
    retryable: isRetryableStatus(status),
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  };
}

/** What an observer is told of one attempt: the status, or the failure's code as its type. */
function outcomeOf(answer: FlowApiAnswer | Failure, retry: boolean): FlowApiRequestOutcome {
  if ('session' in answer) return { status: answer.status, retry };
  const errorType = answer.code === 'http' ? String(answer.status) : answer.code;
  return answer.status === undefined
    ? { errorType, retry }
    : { status: answer.status, errorType, retry };
}

function transportFailure(error: unknown, signal: AbortSignal, timeoutMs: number): Failure {
  if (signal.aborted) {
    return { code: 'timeout', message: `no answer within ${timeoutMs} ms`, retryable: true };
  }
  // Only the system error code (ECONNREFUSED, ENOTFOUND…): undici's objects are not kept.
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return { code: 'network', message: `the connection failed${code}`, retryable: true };
}
