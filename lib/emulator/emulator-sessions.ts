import { flowId } from '../delivery/flow-event-body.js';

/** One step of an emulated session. */
export interface FlowEmulatorStep {
  /** The step's name, as in the template (`accept_tos`, `kyc_check`…). */
  name: string;
  /** `pending` until the user goes through it. */
  status: 'pending' | 'completed' | 'failed';
}

/** An emulated Flow session, in the JSON shape Cognito's API answers. */
export interface FlowEmulatorSession {
  /** `flwses_…`. */
  id: string;
  /** Always `flow_session`. */
  object: 'flow_session';
  /** `active` until the user passes or fails. */
  status: 'active' | 'success' | 'failed';
  /** The customer reference the session was created for. */
  customer_reference: string;
  /** The template the session follows. */
  template_id: string;
  /** The emulator's page for this session. */
  shareable_url: string;
  /** When it was created (ISO 8601). */
  created_at: string;
  /** The template's steps, in order. */
  steps: FlowEmulatorStep[];
  /** Marks the session as the emulator's, never Cognito's. */
  _meta: string;
}

/** A webhook event a session change causes, before it is signed and sent. */
export interface FlowSessionEvent {
  /** The webhook event's name. */
  event: 'flow_session.step.updated' | 'flow_session.status.updated' | 'flow_session.retried';
  /** The session as it is after the change. */
  session: FlowEmulatorSession;
  /** The step that changed; null on status and retry events. */
  step: string | null;
}

/** What a user can do in the dialog. */
export type FlowSessionAction = 'advance' | 'pass' | 'fail' | 'retry';

/** A change refused because of the session's state (e.g. passing a session already passed). */
export class FlowSessionStateError extends Error {
  /** Stable code. */
  readonly code = 'session_state';
}

const META = 'This API format is not v1.0 and is subject to change.';

function copy(session: FlowEmulatorSession): FlowEmulatorSession {
  return { ...session, steps: session.steps.map((step) => ({ ...step })) };
}

/**
 * Every emulated session, in memory, one per (customer reference, template) as Cognito keeps them.
 * Each change returns the webhook events it causes, in the order Cognito would send them.
 */
export class FlowEmulatorSessions {
  private readonly byId = new Map<string, FlowEmulatorSession>();
  private readonly byUser = new Map<string, FlowEmulatorSession>();

  constructor(
    private readonly steps: readonly string[],
    private readonly shareableUrl: (id: string) => string,
  ) {}

  /** The session of this user and template, made if there is none; `created` says which. */
  open(
    customerReference: string,
    templateId: string,
  ): { session: FlowEmulatorSession; created: boolean } {
    const key = `${templateId}\n${customerReference}`;
    const existing = this.byUser.get(key);
    if (existing) return { session: copy(existing), created: false };
    const id = flowId('flwses_');
    const session: FlowEmulatorSession = {
      id,
      object: 'flow_session',
      status: 'active',
      customer_reference: customerReference,
      template_id: templateId,
      shareable_url: this.shareableUrl(id),
      created_at: new Date().toISOString(),
      steps: this.steps.map((name) => ({ name, status: 'pending' })),
      _meta: META,
    };
    this.byId.set(id, session);
    this.byUser.set(key, session);
    return { session: copy(session), created: true };
  }

  /** A copy of one session, or undefined. */
  get(id: string): FlowEmulatorSession | undefined {
    const session = this.byId.get(id);
    return session && copy(session);
  }

  /** The session of a customer reference for this template, or undefined. */
  find(customerReference: string, templateId: string): FlowEmulatorSession | undefined {
    const session = this.byUser.get(`${templateId}\n${customerReference}`);
    return session && copy(session);
  }

  /** Copies of every session, oldest first. */
  list(): FlowEmulatorSession[] {
    return [...this.byId.values()].map(copy);
  }

  /**
   * Applies a user's action. `advance` completes the current step; `pass` completes the remaining
   * ones and ends in `success`; `fail` fails the current step and ends in `failed`; `retry` starts
   * a failed session over.
   * @throws FlowSessionStateError when the action does not fit the session's state.
   */
  act(id: string, action: FlowSessionAction): FlowSessionEvent[] {
    const session = this.byId.get(id);
    if (!session) throw new FlowSessionStateError(`No session ${id}.`);
    if (action === 'retry') {
      if (session.status !== 'failed')
        throw new FlowSessionStateError('Only a failed session can be retried.');
      session.status = 'active';
      for (const step of session.steps) step.status = 'pending';
      return [{ event: 'flow_session.retried', session: copy(session), step: null }];
    }
    if (session.status !== 'active')
      throw new FlowSessionStateError(`The session has ended (${session.status}).`);
    const events: FlowSessionEvent[] = [];
    const stepEvent = (step: FlowEmulatorStep, status: FlowEmulatorStep['status']) => {
      step.status = status;
      events.push({ event: 'flow_session.step.updated', session: copy(session), step: step.name });
    };
    const pending = session.steps.filter((step) => step.status === 'pending');
    if (action === 'advance') {
      if (pending.length === 0)
        throw new FlowSessionStateError('Every step is done: pass or fail the verification.');
      stepEvent(pending[0], 'completed');
      return events;
    }
    if (action === 'pass') {
      for (const step of pending) stepEvent(step, 'completed');
      session.status = 'success';
    } else {
      if (pending.length > 0) stepEvent(pending[0], 'failed');
      session.status = 'failed';
    }
    events.push({ event: 'flow_session.status.updated', session: copy(session), step: null });
    return events;
  }
}
