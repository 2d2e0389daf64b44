import { inspect } from 'node:util';
import { escapeTerminalText } from '../delivery/escape-terminal.js';

/** Why a call to Cognito's API failed. */
export type FlowApiErrorCode =
  /** No answer within the timeout of an attempt. */
  | 'timeout'
  /** The connection failed (DNS, refused, reset, TLS). */
  | 'network'
  /** Cognito answered a non-2xx status; see `status` and `errors`. */
  | 'http'
  /** A 2xx answer whose body is not the expected JSON object. */
  | 'invalid_response'
  /** An answer whose body passed 1 MiB (after decompression): reading stopped there; not retried. */
  | 'answer_too_large'
  /** `fetchSession()`: the API answered a session whose id or customer reference is not the event's. */
  | 'session_mismatch'
  /** The module has no API key: set `apiKey` (`FLOW_API_KEY`). */
  | 'not_configured';

/** One entry of the `errors` array Cognito answers with. */
export interface FlowApiErrorDetail {
  /** Cognito's machine-readable code, when given. */
  code?: string;
  /** Cognito's human-readable message, when given. */
  message?: string;
  /** Other fields are kept. */
  [field: string]: unknown;
}

/** What {@link FlowApiError} is built from. */
export interface FlowApiErrorInit {
  code: FlowApiErrorCode;
  message: string;
  /** `GET /flow_sessions/…`: method and path, never a header. */
  request?: string;
  status?: number;
  errors?: readonly FlowApiErrorDetail[];
  retryable?: boolean;
  attempts?: number;
  /** `Retry-After` of the last answer, in milliseconds, when it had one. */
  retryAfterMs?: number;
}

/**
 * A failed call to Cognito's API. Holds what went wrong, never what authenticated the request:
 * no header, no secret, no signature is ever stored on it, so logging, inspecting or serialising
 * it is safe.
 */
export class FlowApiError extends Error {
  /** Stable, machine-readable cause. */
  readonly code: FlowApiErrorCode;
  /** The HTTP status, when Cognito answered. */
  readonly status?: number;
  /** Cognito's `errors` array, when its answer had one (empty otherwise). */
  readonly errors: readonly FlowApiErrorDetail[];
  /** True for transient failures (timeout, network, 429, 5xx): a later attempt may succeed. */
  readonly retryable: boolean;
  /** How many attempts were made (1 + retries). */
  readonly attempts: number;
  /** The request, as `METHOD /path`. */
  readonly request?: string;
  /** `Retry-After` of the last answer, in milliseconds, when it had one. */
  readonly retryAfterMs?: number;

  constructor(init: FlowApiErrorInit) {
    // Cognito's error codes are part of the message: escaped, so no log line or terminal acts on them.
    super(`[nestjs-cognito-flow] ${escapeTerminalText(init.message)}`);
    this.name = 'FlowApiError';
    this.code = init.code;
    this.status = init.status;
    this.errors = Object.freeze([...(init.errors ?? [])]);
    this.retryable = init.retryable ?? false;
    this.attempts = init.attempts ?? 0;
    this.request = init.request;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** The fields, for `JSON.stringify` and structured loggers. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      request: this.request,
      status: this.status,
      errors: this.errors,
      retryable: this.retryable,
      attempts: this.attempts,
    };
  }

  /** What `console.log` and `util.inspect` show: the fields and the stack. */
  [inspect.custom](depth: number, options: object, inspectFn: typeof inspect = inspect): string {
    return `${this.stack ?? this.message} ${inspectFn(
      {
        code: this.code,
        request: this.request,
        status: this.status,
        errors: this.errors,
        retryable: this.retryable,
        attempts: this.attempts,
      },
      options,
    )}`;
  }
}
