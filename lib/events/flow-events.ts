import type {
  FlowEventName,
  FlowSession,
  FlowSessionStep,
  FlowWebhookEvent,
} from '../verifier/flow-webhook-event.js';

/** A step of the session changed: `data.step` names it. */
export interface FlowSessionStepUpdatedEvent extends FlowWebhookEvent<'flow_session.step.updated'> {
  /** The session, with the step that changed. */
  data: FlowSession & { step: FlowSessionStep };
}

/** The session's status changed (`success`, `failed`, …): `data.step` is null. */
export interface FlowSessionStatusUpdatedEvent extends FlowWebhookEvent<'flow_session.status.updated'> {
  /** The session; `step` is null on status events. */
  data: FlowSession & { step: null };
}

/** The user was allowed to retry the session. */
export type FlowSessionRetriedEvent = FlowWebhookEvent<'flow_session.retried'>;

/** The three documented events by name. */
export interface FlowEventMap {
  /** See {@link FlowSessionStepUpdatedEvent}. */
  'flow_session.step.updated': FlowSessionStepUpdatedEvent;
  /** See {@link FlowSessionStatusUpdatedEvent}. */
  'flow_session.status.updated': FlowSessionStatusUpdatedEvent;
  /** See {@link FlowSessionRetriedEvent}. */
  'flow_session.retried': FlowSessionRetriedEvent;
}

/** Any event Flow sends: the three documented ones, or one Cognito adds later (kept as data). */
export type AnyFlowEvent = FlowEventMap[keyof FlowEventMap] | FlowWebhookEvent;

/**
 * The event a handler registered for `name` receives: the precise type for a documented name,
 * any event for `'*'` or an unknown name.
 */
export type FlowEventOf<TName extends FlowEventName | '*'> = TName extends keyof FlowEventMap
  ? FlowEventMap[TName]
  : FlowWebhookEvent;

/** True when the event is the documented one of that name: narrows its type. */
export function isFlowEvent<TName extends keyof FlowEventMap>(
  event: FlowWebhookEvent,
  name: TName,
): event is FlowEventMap[TName] {
  return event.event === name;
}
