import type { FlowEmulatorKeys } from './emulator-keys.js';
import type { FlowEmulatorSession } from './emulator-sessions.js';
import type { FlowEmulatorDelivery } from './webhook-deliveries.js';
import type {
  FlowEmulatorTriggerEvent,
  FlowEmulatorTriggerOptions,
  FlowEmulatorTriggerResult,
} from './emulator-trigger.js';

/** The statuses {@link FlowEmulator.end} can end a session with. */
export type FlowEmulatorEndStatus =
  'success' | 'failed' | 'expired' | 'canceled' | 'pending_review';

/** A running emulator. See {@link startFlowEmulator}. */
export interface FlowEmulator {
  /** The status page, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  /** The drop-in for Cognito's `flow.js`. */
  readonly scriptUrl: string;
  /** The base URL of the emulated API (`FLOW_API_BASE_URL`). */
  readonly apiBaseUrl: string;
  /** The keys it runs on; `apiSecret` prints and serialises redacted. */
  readonly keys: Readonly<FlowEmulatorKeys>;
  /**
   * This run's control token: sent as `x-flow-emulator-token`, it lets a client the emulator does
   * not otherwise trust (a page of an origin it was not told about) use `/emulator/*`.
   */
  readonly controlToken: string;
  /** Where webhooks go now, or undefined. */
  readonly webhookUrl: string | undefined;
  /** Copies of every session, oldest first. */
  readonly sessions: FlowEmulatorSession[];
  /** Copies of every webhook delivery with its attempts, oldest first. */
  readonly deliveries: FlowEmulatorDelivery[];
  /**
   * Completes the verification of a customer reference as a user clicking "Pass verification"
   * would (opening a session first if there is none); resolves once each webhook had its first attempt.
   */
  pass(customerReference: string): Promise<FlowEmulatorSession>;
  /** As {@link FlowEmulator.pass}, ending in `failed`. */
  fail(customerReference: string): Promise<FlowEmulatorSession>;
  /**
   * Ends the customer reference's current session with `status`, each with the webhooks Cognito
   * sends: `success`/`failed` as {@link FlowEmulator.pass}/{@link FlowEmulator.fail};
   * `pending_review` after passing the remaining steps (then `pass` or `fail` decide it);
   * `expired` or `canceled` with only the status webhook. Opens a session first if there is none.
   */
  end(customerReference: string, status: FlowEmulatorEndStatus): Promise<FlowEmulatorSession>;
  /**
   * `POST /flow_sessions/retry` for a customer reference: a new session with
   * `previous_session_id`, the old one `canceled`; resolves after the webhooks' first attempts.
   */
  retry(customerReference: string): Promise<FlowEmulatorSession>;
  /**
   * Makes the emulator send `event` about a real session, as `cognito-flow trigger` does: the
   * customer reference's current session when it can take the change, else a new one.
   * `flow_session.status.updated` ends it with `status` (default `success`, after its steps);
   * `flow_session.step.updated` passes its current step; `flow_session.retried` retries it (the
   * old one ends `canceled`). Resolves with the session (`fetchSession()` in the app returns it)
   * and each delivery after its first attempt.
   * @throws FlowEmulatorError `invalid_option` for an unknown event or status, or a bad reference.
   */
  trigger(
    event: FlowEmulatorTriggerEvent,
    options?: FlowEmulatorTriggerOptions,
  ): Promise<FlowEmulatorTriggerResult>;
  /** Sessions opened for unsigned customer references so far (Flow allows `unsignedSessionLimit`). */
  readonly unsignedSessions: number;
  /** Changes where later webhooks go (a host that learns its port after the emulator started). */
  setWebhookUrl(url: string | undefined): void;
  /** Stops the server and cancels pending retries. */
  close(): Promise<void>;
}
