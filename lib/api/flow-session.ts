import type { FlowApiSession } from './flow-api-session.js';

/** What {@link FlowApiClient.createFlowSession} sends. */
export interface CreateFlowSessionInput {
  /** The user's stable id; checked by the same rules as `FlowSigner.sign`. */
  customerReference: string;
  /** The user's e-mail, a fraud signal for Cognito. Optional. */
  email?: string;
  /** Ask for a Cognito-hosted page (`shareable_url`), for mobile WebViews. Default false. */
  shareable?: boolean;
  /** The template to run; default: the client's `templateId`. */
  templateId?: string;
}

/** Per-call settings of {@link FlowApiClient.createFlowSession}. */
export interface CreateFlowSessionOptions {
  /**
   * `POST /flow_sessions?idempotent=true`: one session per (customer reference, template), the
   * same one on every later call, so the request is safe to retry. Default true.
   */
  idempotent?: boolean;
}

/** The answer of {@link FlowApiClient.createFlowSession}. */
export interface CreatedFlowSession {
  /** True on 201 (a new session), false on 200 (the existing one for this user and template). */
  created: boolean;
  /** The session, as Cognito sent it. */
  session: FlowApiSession;
}

/** What {@link FlowApiClient.retryFlowSession} sends. */
export interface RetryFlowSessionInput {
  /** The user whose session is retried; checked by the same rules as `FlowSigner.sign`. */
  customerReference: string;
  /** The template; default: the client's `templateId`. */
  templateId?: string;
  /**
   * How the new session starts. Default `reset` (all of the user's data is asked again), the
   * strategy public integrations use; other strategies Cognito documents are passed through.
   */
  strategy?: FlowRetryStrategy;
}

/** `strategy` of `POST /flow_sessions/retry`: `reset`, or another one Cognito documents. */
export type FlowRetryStrategy = 'reset' | (string & {});
