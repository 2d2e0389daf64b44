import { flowId } from '../delivery/flow-event-body.js';
import { OPEN_STEP_STATES } from './emulator-session-shape.js';
import type {
  FlowEmulatorSession,
  FlowEmulatorSessions,
  FlowSessionAction,
  FlowSessionEvent,
} from './emulator-sessions.js';
import type { FlowEmulatorDelivery } from './webhook-deliveries.js';
import type { FlowEmulatorEndStatus } from './flow-emulator-handle.js';

/** The webhook events a trigger can make the emulator send. */
export type FlowEmulatorTriggerEvent = FlowSessionEvent['event'];

/** The statuses a `flow_session.status.updated` trigger can end a session with: those of `end()`. */
export type FlowEmulatorTriggerStatus = FlowEmulatorEndStatus;

/** Options of {@link FlowEmulator.trigger}. */
export interface FlowEmulatorTriggerOptions {
  /** Whose session: its current one is reused while it can take the change. Default: a fresh reference. */
  customerReference?: string;
  /** `flow_session.status.updated` only: the status the session ends with. Default `success`. */
  status?: FlowEmulatorTriggerStatus;
}

/** What a trigger did: the session the deliveries are about, and each delivery after its first attempt. */
export interface FlowEmulatorTriggerResult {
  /** The session as it is after the change (for `flow_session.retried`, the new session). */
  session: FlowEmulatorSession;
  /** True when the session was opened for this trigger; false when the reference's current one was reused. */
  created: boolean;
  /** The deliveries the change caused, oldest first, each after its first attempt. */
  deliveries: FlowEmulatorDelivery[];
}

/** The events a trigger accepts, in the order help texts list them. */
export const TRIGGER_EVENTS: readonly FlowEmulatorTriggerEvent[] = [
  'flow_session.status.updated',
  'flow_session.step.updated',
  'flow_session.retried',
];

/** The statuses `flow_session.status.updated` accepts. */
export const TRIGGER_STATUSES: readonly FlowEmulatorTriggerStatus[] = [
  'success',
  'failed',
  'pending_review',
  'expired',
  'canceled',
];

/**
 * The session action that ends a session with each status: one map for `end()`, `trigger()` and
 * `cognito-flow emulator end`.
 */
export const STATUS_ACTIONS: Readonly<Record<FlowEmulatorEndStatus, FlowSessionAction>> = {
  success: 'pass',
  failed: 'fail',
  expired: 'expire',
  canceled: 'cancel',
  pending_review: 'review',
};

/** The change a trigger makes: a session action, or a retry (`POST /flow_sessions/retry`). */
export type FlowTriggerChange = FlowSessionAction | 'retry';

/**
 * Why a trigger cannot run, or undefined: an unknown event, a status that is not one of
 * {@link TRIGGER_STATUSES}, or a status given to an event that carries none of its own.
 */
export function triggerProblem(event: unknown, status: unknown): string | undefined {
  if (typeof event !== 'string' || !(TRIGGER_EVENTS as readonly string[]).includes(event))
    return `The event is one of ${TRIGGER_EVENTS.join(', ')}.`;
  if (status === undefined) return undefined;
  if (event !== 'flow_session.status.updated')
    return `A status is given only with flow_session.status.updated; ${event} sets its own.`;
  if (typeof status !== 'string' || !(TRIGGER_STATUSES as readonly string[]).includes(status))
    return `The status is one of ${TRIGGER_STATUSES.join(', ')}.`;
  return undefined;
}

/** The change that makes the emulator send `event` (checked first with {@link triggerProblem}). */
export function triggerChange(
  event: FlowEmulatorTriggerEvent,
  status: FlowEmulatorTriggerStatus = 'success',
): FlowTriggerChange {
  if (event === 'flow_session.retried') return 'retry';
  if (event === 'flow_session.step.updated') return 'advance';
  return STATUS_ACTIONS[status];
}

/**
 * True when `session` can take `change` as it is. A retry takes any session; a pending review
 * can still be passed or failed; every other change needs an active session (with a step left,
 * to advance). Otherwise a trigger opens a new session for the reference.
 */
export function sessionTakes(session: FlowEmulatorSession, change: FlowTriggerChange): boolean {
  if (change === 'retry') return true;
  if (session.status === 'pending_review') return change === 'pass' || change === 'fail';
  if (session.status !== 'active') return false;
  if (change !== 'advance') return true;
  return Object.values(session.steps).some((state) => OPEN_STEP_STATES.has(state));
}

/** A fresh customer reference for a trigger given none: `flow-trigger-` and 14 alphanumerics. */
export function triggerReference(): string {
  return flowId('flow-trigger-');
}

/** What {@link runTrigger} works on: the emulator's sessions, its template and its deliveries. */
export interface TriggerTarget {
  sessions: FlowEmulatorSessions;
  templateId: string;
  deliver(events: FlowSessionEvent[]): Promise<FlowEmulatorDelivery[]>;
}

/**
 * Runs a checked trigger in process, as the CLI does over HTTP: the reference's current session
 * when it can take the change, else a new one; then the change and its webhooks.
 */
export async function runTrigger(
  target: TriggerTarget,
  event: FlowEmulatorTriggerEvent,
  options: FlowEmulatorTriggerOptions,
): Promise<FlowEmulatorTriggerResult> {
  const { sessions, templateId } = target;
  const change = triggerChange(event, options.status);
  const reference = options.customerReference ?? triggerReference();
  let opened = sessions.open(reference, templateId, { idempotent: true });
  if (!sessionTakes(opened.session, change))
    opened = sessions.open(reference, templateId, { idempotent: false });
  if (change === 'retry') {
    const retried = sessions.retry(reference, templateId);
    const deliveries = await target.deliver(retried.events);
    return { session: sessions.get(retried.session.id)!, created: opened.created, deliveries };
  }
  const deliveries = await target.deliver(sessions.act(opened.session.id, change));
  return { session: sessions.get(opened.session.id)!, created: opened.created, deliveries };
}
