/** The three events Flow sends, plus any name Cognito adds later (kept as data, not an error). */
export type FlowEventName =
  | 'flow_session.step.updated'
  | 'flow_session.status.updated'
  | 'flow_session.retried'
  | (string & {});

/** Flow session statuses seen so far; an unknown one is data, not an error. */
export type FlowSessionStatus =
  'active' | 'success' | 'failed' | 'expired' | 'canceled' | 'pending_review' | (string & {});

/** Flow step names seen so far; an unknown one is data, not an error. */
export type FlowSessionStep =
  | 'accept_tos'
  | 'verify_sms'
  | 'kyc_check'
  | 'documentary_verification'
  | 'selfie_check'
  | 'screening'
  | 'risk_check'
  | (string & {});

/** The flow session a webhook describes (`data` of every Flow event). */
export interface FlowSession {
  /** Always `flow_session`. */
  object: 'flow_session' | (string & {});
  /** `flwses_…`. */
  id: string;
  /** Where the session stands. */
  status: FlowSessionStatus;
  /** The step that changed; null on status events. */
  step: FlowSessionStep | null;
  /** The reference the host signed: the user's id. */
  customer_reference: string;
  /** Fields Cognito adds are kept. */
  [field: string]: unknown;
}

/**
 * A verified webhook delivery. The verifier guarantees `id` (non-empty, at most 128 characters),
 * `event` (a string) and `data` (an object); the other fields are typed as Cognito documents them.
 */
export interface FlowWebhookEvent<TEvent extends FlowEventName = FlowEventName> {
  /** `whkevt_…`: the delivery's event id, the key of exactly-once processing. */
  id: string;
  /** ISO 8601 time the event happened. */
  timestamp: string;
  /** Which event this is. */
  event: TEvent;
  /** `live` or `sandbox`. */
  environment: 'live' | 'sandbox' | (string & {});
  /** The flow session. */
  data: FlowSession;
  /** Fields Cognito adds are kept. */
  [field: string]: unknown;
}
