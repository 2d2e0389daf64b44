import type { FlowSessionStatus } from '../verifier/flow-webhook-event.js';

/**
 * A flow session as Cognito's API answers it (`GET /flow_sessions/{id}`, `POST /flow_sessions`),
 * returned exactly as received: snake_case, with every field Cognito sends, including those not
 * typed here. Cognito marks the format "subject to change": read unknown fields as data.
 */
export interface FlowApiSession {
  /** `flwses_…`. */
  id: string;
  /** Always `flow_session`. */
  object?: 'flow_session' | (string & {});
  /** Where the session stands (`active`, `success`, `failed`, …). */
  status?: FlowSessionStatus;
  /** The reference the session was created for: the user's id. */
  customer_reference?: string;
  /** `flwtmp_…`. */
  template_id?: string;
  /** The Cognito-hosted page of a shareable session, for a WebView or a link. */
  shareable_url?: string;
  /** ISO 8601 creation time. */
  created_at?: string;
  /** The session's steps, as Cognito describes them. */
  steps?: unknown[];
  /** The user's verified data (e.g. `id_number: { value, category, type }`), when present. */
  user?: Record<string, unknown>;
  /** Cognito's note on the format's stability. */
  _meta?: string;
  /** Fields Cognito adds are kept. */
  [field: string]: unknown;
}

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
