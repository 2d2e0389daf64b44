import type { FlowApiSession } from '../api/flow-api-session.js';
import { flowId } from '../delivery/flow-event-body.js';
import { emptyUser } from './emulator-identity.js';

const META = 'This API format is not v1.0 and is subject to change.';
/** Every step name Cognito documents: those not in the template are `not_applicable`. */
const KNOWN_STEPS = [
  'accept_tos',
  'verify_sms',
  'kyc_check',
  'documentary_verification',
  'selfie_check',
  'screening',
  'risk_check',
  'kyc_screen',
];
/** Step states of a step still to go through. */
export const OPEN_STEP_STATES: ReadonlySet<unknown> = new Set([
  'active',
  'waiting_for_prerequisite',
]);

/** ISO 8601 to the whole second, as Cognito writes times (`2021-01-01T00:00:00Z`). */
export function wholeSeconds(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What a new session is made from. */
export interface NewSessionInput {
  customerReference: string;
  templateId: string;
  /** The template's steps, in order: the first is `active`, the others wait for it. */
  steps: readonly string[];
  shareableUrl: string;
  previous: string | null;
  email: string | null;
}

/** A new active session in the documented shape, nothing given yet but the e-mail. */
export function newSession(input: NewSessionInput): FlowApiSession {
  const steps: Record<string, string> = {};
  input.steps.forEach((name, index) => {
    steps[name] = index === 0 ? 'active' : 'waiting_for_prerequisite';
  });
  for (const name of KNOWN_STEPS) steps[name] ??= 'not_applicable';
  return {
    id: flowId('flwses_'),
    status: 'active',
    customer_reference: input.customerReference,
    created_at: wholeSeconds(),
    completed_at: null,
    shareable_url: input.shareableUrl,
    previous_session_id: input.previous,
    screening_id: null,
    template: { id: input.templateId, version: 1 },
    steps,
    user: emptyUser(input.email),
    kyc_check: null,
    documentary_verification: null,
    _meta: META,
  };
}
