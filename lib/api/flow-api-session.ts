import type { FlowSessionStatus } from '../verifier/flow-webhook-event.js';

/**
 * Where one step of a session stands. `failed` marks the step a session failed on; an unknown
 * value is data, not an error.
 */
export type FlowSessionStepState =
  'success' | 'active' | 'waiting_for_prerequisite' | 'not_applicable' | 'failed' | (string & {});

/** `steps` of a session: an object keyed by step name, each with its state. */
export interface FlowApiSessionSteps {
  accept_tos?: FlowSessionStepState;
  verify_sms?: FlowSessionStepState;
  kyc_check?: FlowSessionStepState;
  documentary_verification?: FlowSessionStepState;
  selfie_check?: FlowSessionStepState;
  screening?: FlowSessionStepState;
  risk_check?: FlowSessionStepState;
  kyc_screen?: FlowSessionStepState;
  /** Steps Cognito adds are kept. */
  [step: string]: FlowSessionStepState | undefined;
}

/** `template` of a session. */
export interface FlowApiSessionTemplate {
  /** `flwtmp_…`. */
  id: string;
  /** The template's version the session runs. */
  version: number;
  [field: string]: unknown;
}

/** The user's postal address; fields not given are null. */
export interface FlowApiUserAddress {
  street: string | null;
  street2: string | null;
  city: string | null;
  /** State or region code (`NY`). */
  subdivision: string | null;
  postal_code: string | null;
  /** ISO 3166-1 alpha-2 (`US`). */
  country_code: string | null;
  [field: string]: unknown;
}

/** The user's identity number, e.g. `{ value, category: 'tax_id', type: 'us_ssn' }`. */
export interface FlowApiUserIdNumber {
  value: string;
  category: 'tax_id' | (string & {});
  type: 'us_ssn' | (string & {});
  [field: string]: unknown;
}

/** `user` of a session: what the user gave and Cognito verified; each field null until given. */
export interface FlowApiSessionUser {
  name: { first: string | null; last: string | null; [field: string]: unknown } | null;
  email: string | null;
  /** E.164 (`+12345678909`). */
  phone: string | null;
  address: FlowApiUserAddress | null;
  id_number: FlowApiUserIdNumber | null;
  ip_address: string | null;
  /** `YYYY-MM-DD`. */
  date_of_birth: string | null;
  [field: string]: unknown;
}

/** One match summary of `kyc_check` (`match`, `partial_match`, `no_match`, `no_data`…). */
export interface FlowKycSummary {
  summary: 'match' | 'partial_match' | 'no_match' | 'no_data' | 'no_input' | (string & {});
  [field: string]: unknown;
}

/** `kyc_check` of a session: how the user's data matched authoritative records. */
export interface FlowApiKycCheck {
  status: 'success' | 'failed' | (string & {});
  name: FlowKycSummary;
  phone: FlowKycSummary;
  address: FlowKycSummary & { type: string | null; po_box: string | null };
  id_number: FlowKycSummary;
  date_of_birth: FlowKycSummary;
  [field: string]: unknown;
}

/** One document the user photographed, with what was read from it and how it was judged. */
export interface FlowApiDocument {
  status: 'success' | 'failed' | (string & {});
  /** 1 for the first attempt. */
  attempt: number;
  images: {
    original_front: string | null;
    original_back: string | null;
    cropped_front: string | null;
    cropped_back: string | null;
    face: string | null;
    [field: string]: unknown;
  };
  extracted_data: {
    category: 'drivers_license' | 'passport' | 'id_card' | (string & {}) | null;
    id_number: string | null;
    /** `YYYY-MM-DD`. */
    expiration_date: string | null;
    /** ISO 3166-1 alpha-2. */
    issuing_country: string | null;
    [field: string]: unknown;
  };
  analysis: {
    authenticity: string | null;
    image_quality: string | null;
    extracted_data: {
      name: string | null;
      date_of_birth: string | null;
      expiration_date: string | null;
      issuing_country: string | null;
      [field: string]: unknown;
    };
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** `documentary_verification` of a session. */
export interface FlowApiDocumentaryVerification {
  status: 'success' | 'failed' | (string & {});
  documents: FlowApiDocument[];
  [field: string]: unknown;
}

/**
 * A flow session as Cognito's API answers it (`GET /flow_sessions/{id}`, `POST /flow_sessions`,
 * `POST /flow_sessions/retry`), typed field by field from Cognito's documented example and
 * returned exactly as received: snake_case, null where Cognito sends null, every other field kept.
 * Cognito marks the format "subject to change": read unknown fields and values as data.
 */
export interface FlowApiSession {
  /** `flwses_…`. */
  id: string;
  /** Where the session stands (`active`, `success`, `failed`, `expired`, `canceled`, `pending_review`). */
  status: FlowSessionStatus;
  /** The reference the session was created for: the user's id. */
  customer_reference: string;
  /** ISO 8601, whole seconds, `Z` (`2021-01-01T00:00:00Z`). */
  created_at: string;
  /** When the session ended, as `created_at`; null while it is active. */
  completed_at: string | null;
  /** The Cognito-hosted page of the session (`…/verify/flwtmp_…?key=<64 hex>`), for a WebView or a link. */
  shareable_url: string | null;
  /** The session this one replaced through `POST /flow_sessions/retry`, or null. */
  previous_session_id: string | null;
  /** `scr_…` when the template screens the user against watchlists, else null. */
  screening_id: string | null;
  /** The template and the version the session runs. */
  template: FlowApiSessionTemplate;
  /** Each step of the template by name, with its state. */
  steps: FlowApiSessionSteps;
  /** The user's data; each field null until given. */
  user: FlowApiSessionUser;
  /** The data check's outcome, or null before it ran. */
  kyc_check: FlowApiKycCheck | null;
  /** The document check's outcome, or null when the template has none or it has not run. */
  documentary_verification: FlowApiDocumentaryVerification | null;
  /** Cognito's note on the format's stability. */
  _meta?: string;
  /** Fields Cognito adds are kept. */
  [field: string]: unknown;
}
