import { randomInt } from 'node:crypto';

/** The three events Flow sends. */
export const FLOW_EVENTS = [
  'flow_session.step.updated',
  'flow_session.status.updated',
  'flow_session.retried',
] as const;

/** What a Flow webhook body describes. */
export interface FlowEventBodyInput {
  /** `whkevt_…`. */
  eventId: string;
  /** `flwses_…`. */
  sessionId: string;
  /** One of {@link FLOW_EVENTS}, or another name to test a receiver's handling of unknown events. */
  event: string;
  customerReference: string;
  status: string;
  /** The step that changed; null on status events. */
  step: string | null;
  /** `live` or `sandbox`. */
  environment: string;
  /** When the event happened. */
  timestamp: Date;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh Flow-style id: `prefix` + 14 random alphanumerics (`whkevt_…`, `flwses_…`). */
export function flowId(prefix: string): string {
  let id = prefix;
  for (let i = 0; i < 14; i += 1) id += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return id;
}

/** The status an event carries when none is given: a completed verification for status events. */
export function defaultStatus(event: string): string {
  return event === 'flow_session.status.updated' ? 'success' : 'active';
}

/**
 * The JSON body of a delivery, fields in the order Cognito sends them. The timestamp is ISO 8601
 * to the second, as in Cognito's example (`2021-01-01T00:00:00Z`).
 */
export function buildFlowEventBody(input: FlowEventBodyInput): string {
  return JSON.stringify({
    id: input.eventId,
    timestamp: input.timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    event: input.event,
    data: {
      object: 'flow_session',
      id: input.sessionId,
      status: input.status,
      step: input.step,
      customer_reference: input.customerReference,
      _meta: 'This API format is not v1.0 and is subject to change.',
    },
    environment: input.environment,
  });
}
