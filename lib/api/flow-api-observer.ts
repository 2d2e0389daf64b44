/** One HTTP request to Cognito's API, as the client reports it to an observer. */
export interface FlowApiRequestReport {
  /** `flow_sessions.create`, `flow_sessions.retry` or `flow_sessions.get`. */
  readonly operation: string;
  /** `GET` or `POST`. */
  readonly method: string;
  /** The full URL without its query, a session id replaced by `REDACTED`. */
  readonly url: string;
  /** The path below the base URL with `{id}` where an id goes. */
  readonly template: string;
  /** 1 for the first attempt, 2 for the first retry… */
  readonly attempt: number;
}

/** How one request ended: its status when an answer came, why it failed when it did. */
export interface FlowApiRequestOutcome {
  readonly status?: number;
  readonly errorType?: string;
  /** True when the client sends the call again. */
  readonly retry: boolean;
}

/**
 * Told of every HTTP request the client sends (each attempt); the function it returns is told
 * how that request ended. The client never passes it a secret, a signature or a body.
 */
export interface FlowApiObserver {
  apiRequest(report: FlowApiRequestReport): (outcome: FlowApiRequestOutcome) => void;
}

/**
 * The option key under which the module hands its client an observer: a symbol no caller outside
 * the package can name, so the public options stay as they are.
 */
export const FLOW_API_OBSERVER = Symbol('FlowApiObserver');

/** Options carrying an observer. */
export interface ObservedApiOptions {
  readonly [FLOW_API_OBSERVER]?: FlowApiObserver;
}
