import type { FlowAttributes } from './telemetry-attributes.js';

/** One span, or nothing at all when no tracer records. */
export interface FlowSpan {
  /** Starts a child span under this one. */
  child(name: string, attributes?: FlowAttributes): FlowSpan;
  /** Adds attributes (allowed keys only). */
  set(attributes: FlowAttributes): void;
  /** Marks the span failed, with `error.type`. */
  fail(errorType: string): void;
  /** Ends the span; later calls do nothing. */
  end(): void;
}

/** How a delivery ended, as the `flow.delivery.outcome` attribute names it. */
export type FlowDeliveryOutcomeValue =
  | 'processed'
  | 'duplicate'
  | 'no_handler'
  | 'in_progress'
  | 'claim_lost'
  | 'failed'
  | 'dead_letter'
  | 'store_unavailable'
  | 'invalid_event';

/** One HTTP request to Cognito's API, as the API client reports it. */
export interface FlowApiRequestInfo {
  /** `flow_sessions.create`, `flow_sessions.retry`, `flow_sessions.get`. */
  readonly operation: string;
  readonly method: string;
  /** The full URL without its query and with any id replaced by `REDACTED`. */
  readonly url: string;
  /** The path with `{id}` where an id goes. */
  readonly template: string;
  /** 1 for the first attempt, 2 for the first retry… */
  readonly attempt: number;
}

/** How one request to Cognito's API ended. */
export interface FlowApiRequestEnd {
  /** The HTTP status, when an answer came. */
  readonly status?: number;
  /** Why it failed (`timeout`, `network`, the status as text…), when it did. */
  readonly errorType?: string;
  /** True when the client sends it again. */
  readonly retry: boolean;
}

/**
 * What the module's parts report to, without knowing OpenTelemetry: the dispatcher, the guard,
 * the stores' wrapper, the API client and the signature routes. {@link NOOP_FLOW_TELEMETRY}
 * records nothing.
 */
export interface FlowTelemetry {
  /** False for the no-op recorder: callers skip their own timing work. */
  readonly enabled: boolean;
  /** Starts a `flow.webhook.delivery` span under the active context. */
  startDelivery(): FlowSpan;
  /** Keeps a delivery's span for the dispatcher that handles `request` next. */
  handOver(request: object, span: FlowSpan): void;
  /** The span the guard kept for `request`, removed from the keeping. */
  takeOver(request: unknown): FlowSpan | undefined;
  /** Counts a delivery the guard refused, by reason code. */
  refused(reason: string): void;
  /** Counts a delivery the dispatcher answered, by event name and outcome. */
  delivered(eventName: string, outcome: FlowDeliveryOutcomeValue): void;
  /** Records the seconds from the event's timestamp to its processing. */
  lag(eventName: string, seconds: number): void;
  /** Records one handler's run, in seconds. */
  handlerRan(eventName: string, handlerName: string, seconds: number): void;
  /** Counts one store operation. */
  storeOperation(kind: string, operation: string, ok: boolean): void;
  /** Counts a delivery answered 503 because the store could not answer. */
  storeUnavailable(kind: string): void;
  /** Starts one API request: a CLIENT span and, when it ends, the request metrics. */
  apiRequest(info: FlowApiRequestInfo): (end: FlowApiRequestEnd) => void;
  /** Counts one answer of the signature route or the hosted-session route. */
  routeAnswered(route: 'signature' | 'hosted_session', status: number | undefined): void;
}

/** The span that records nothing: no tracer, or a delivery the sampler left out. */
export const NOOP_SPAN: FlowSpan = {
  child: () => NOOP_SPAN,
  set: () => undefined,
  fail: () => undefined,
  end: () => undefined,
};

const NOOP_END = (): void => undefined;

/** Records nothing: `telemetry: false`, or `@opentelemetry/api` not installed. */
export const NOOP_FLOW_TELEMETRY: FlowTelemetry = {
  enabled: false,
  startDelivery: () => NOOP_SPAN,
  handOver: () => undefined,
  takeOver: () => undefined,
  refused: () => undefined,
  delivered: () => undefined,
  lag: () => undefined,
  handlerRan: () => undefined,
  storeOperation: () => undefined,
  storeUnavailable: () => undefined,
  apiRequest: () => NOOP_END,
  routeAnswered: () => undefined,
};
