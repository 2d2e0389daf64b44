import { randomBytes } from 'node:crypto';
import type { FlowApiSession, FlowApiSessionUser } from '../api/flow-api-session.js';
import { flowId } from '../delivery/flow-event-body.js';
import { sha256Base64 } from '../http-signature/signing-string.js';
import { collect, documentaryVerification, kycCheck } from './emulator-identity.js';
import { newSession, OPEN_STEP_STATES, wholeSeconds } from './emulator-session-shape.js';

/** An emulated Flow session: the documented session of Cognito's API, field by field. */
export type FlowEmulatorSession = FlowApiSession;

/** A webhook event a session change causes, before it is signed and sent. */
export interface FlowSessionEvent {
  /** The webhook event's name. */
  event: 'flow_session.step.updated' | 'flow_session.status.updated' | 'flow_session.retried';
  /** The session as it is after the change. */
  session: FlowEmulatorSession;
  /** The step that changed; null on status and retry events. */
  step: string | null;
}

/** What a user (or a test) can do to a session. `review` ends it `pending_review`. */
export type FlowSessionAction = 'advance' | 'pass' | 'fail' | 'expire' | 'cancel' | 'review';

/** A change refused because of the session's state (e.g. passing a session already passed). */
export class FlowSessionStateError extends Error {
  /** Stable code. */
  readonly code = 'session_state';
}

/** How sessions are made. */
export interface EmulatorSessionSettings {
  /** The template's steps, in order. */
  steps: readonly string[];
  /** The page of a shareable URL, e.g. `http://127.0.0.1:4010/verify/flwtmp_…?key=…`. */
  shareableUrl(templateId: string, key: string): string;
  /** The test identity of a customer reference. */
  identity(customerReference: string): FlowApiSessionUser;
}

/**
 * Every emulated session, in memory. A (customer reference, template) pair has one current
 * session: the one `idempotent` creation and flow.js return, and the one a retry replaces. Each
 * change returns the webhook events it causes, in the order Cognito would send them.
 */
export class FlowEmulatorSessions {
  private readonly byId = new Map<string, FlowEmulatorSession>();
  private readonly current = new Map<string, string>();
  /**
   * Session ids by the SHA-256 of their shareable key, never the key itself: a lookup then
   * compares digests, whose timing tells nothing about a key's bytes.
   */
  private readonly byKeyDigest = new Map<string, string>();

  constructor(private readonly settings: EmulatorSessionSettings) {}

  /**
   * The pair's current session when `idempotent` and there is one (`created: false`); otherwise a
   * new one, which becomes current (`created: true`).
   */
  open(
    customerReference: string,
    templateId: string,
    options: { idempotent: boolean; email?: string; previous?: string },
  ): { session: FlowEmulatorSession; created: boolean } {
    const pair = `${templateId}\n${customerReference}`;
    const existing = this.current.get(pair);
    if (options.idempotent && existing !== undefined)
      return { session: structuredClone(this.byId.get(existing)!), created: false };
    const key = randomBytes(32).toString('hex');
    const session = newSession({
      customerReference,
      templateId,
      steps: this.settings.steps,
      shareableUrl: this.settings.shareableUrl(templateId, key),
      previous: options.previous ?? null,
      email: options.email ?? null,
    });
    const { id } = session;
    this.byId.set(id, session);
    this.byKeyDigest.set(sha256Base64(key), id);
    this.current.set(pair, id);
    return { session: structuredClone(session), created: true };
  }

  /** A copy of one session, or undefined. */
  get(id: string): FlowEmulatorSession | undefined {
    const session = this.byId.get(id);
    return session && structuredClone(session);
  }

  /** The session whose shareable URL carries `key`, or undefined. */
  byShareableKey(key: string): FlowEmulatorSession | undefined {
    const id = this.byKeyDigest.get(sha256Base64(key));
    return id === undefined ? undefined : this.get(id);
  }

  /** The current session of a customer reference for this template, or undefined. */
  find(customerReference: string, templateId: string): FlowEmulatorSession | undefined {
    const id = this.current.get(`${templateId}\n${customerReference}`);
    return id === undefined ? undefined : this.get(id);
  }

  /** Copies of every session, oldest first. */
  list(): FlowEmulatorSession[] {
    return [...this.byId.values()].map((session) => structuredClone(session));
  }

  /**
   * `POST /flow_sessions/retry` as Cognito does it: a new current session whose
   * `previous_session_id` is the old one, and the old one ends `canceled` (its status webhook
   * first, then `flow_session.retried` for the new one).
   * @throws FlowSessionStateError when the pair has no session.
   */
  retry(
    customerReference: string,
    templateId: string,
  ): { session: FlowEmulatorSession; events: FlowSessionEvent[] } {
    const oldId = this.current.get(`${templateId}\n${customerReference}`);
    if (oldId === undefined)
      throw new FlowSessionStateError('No session to retry for this customer reference.');
    const old = this.byId.get(oldId)!;
    const events: FlowSessionEvent[] = [];
    if (old.status !== 'canceled') {
      old.status = 'canceled';
      events.push({
        event: 'flow_session.status.updated',
        session: structuredClone(old),
        step: null,
      });
    }
    const { session } = this.open(customerReference, templateId, {
      idempotent: false,
      email: old.user.email ?? undefined,
      previous: oldId,
    });
    events.push({ event: 'flow_session.retried', session, step: null });
    return { session, events };
  }

  /**
   * Applies an action. `advance` passes the current step; `pass` passes the remaining ones and
   * ends in `success`; `fail` fails the current step and ends in `failed`; `review` passes the
   * remaining steps and ends in `pending_review`, which `pass` or `fail` then decide; `expire`
   * and `cancel` end an unfinished session `expired` or `canceled`.
   * @throws FlowSessionStateError when the action does not fit the session's state.
   */
  act(id: string, action: FlowSessionAction): FlowSessionEvent[] {
    const session = this.byId.get(id);
    if (!session) throw new FlowSessionStateError(`No session ${id}.`);
    const reviewing = session.status === 'pending_review';
    if (session.status !== 'active' && !(reviewing && (action === 'pass' || action === 'fail')))
      throw new FlowSessionStateError(`The session has ended (${String(session.status)}).`);
    const events: FlowSessionEvent[] = [];
    const identity = this.settings.identity(session.customer_reference);
    const order = this.settings.steps.filter((name) =>
      OPEN_STEP_STATES.has(String(session.steps[name])),
    );
    const settle = (name: string, passed: boolean) => {
      session.steps[name] = passed ? 'success' : 'failed';
      if (passed) collect(session.user, identity, name);
      if (name === 'kyc_check') session.kyc_check = kycCheck(passed);
      if (name === 'documentary_verification')
        session.documentary_verification = documentaryVerification(passed);
      if (name === 'screening' && passed) session.screening_id = flowId('scr_');
      const next = this.settings.steps.find(
        (step) => session.steps[step] === 'waiting_for_prerequisite',
      );
      if (passed && next !== undefined) session.steps[next] = 'active';
      events.push({
        event: 'flow_session.step.updated',
        session: structuredClone(session),
        step: name,
      });
    };
    const end = (status: string) => {
      session.status = status;
      if (status === 'success') collect(session.user, identity, undefined);
      if (status === 'success' || status === 'failed') session.completed_at = wholeSeconds();
      events.push({
        event: 'flow_session.status.updated',
        session: structuredClone(session),
        step: null,
      });
    };
    if (action === 'advance') {
      if (order.length === 0)
        throw new FlowSessionStateError('Every step is done: pass or fail the verification.');
      settle(order[0], true);
      return events;
    }
    if (action === 'pass' || action === 'review') {
      for (const name of order) settle(name, true);
      end(action === 'pass' ? 'success' : 'pending_review');
    } else if (action === 'fail') {
      if (order.length > 0) settle(order[0], false);
      end('failed');
    } else {
      end(action === 'expire' ? 'expired' : 'canceled');
    }
    return events;
  }
}
