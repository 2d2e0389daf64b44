import { buildFlowEventBody, flowId } from '../delivery/flow-event-body.js';
import { sendDelivery, signDelivery } from '../delivery/webhook-delivery.js';
import type { FlowSessionEvent } from './emulator-sessions.js';

/** One attempt at delivering an event. */
export interface FlowEmulatorAttempt {
  /** When it was sent (ISO 8601). */
  at: string;
  /** The receiver's HTTP status; undefined when no answer came. */
  status?: number;
  /** Why no answer came, or the start of a non-2xx answer's body. */
  detail?: string;
  /** What to check, when the answer suggests a wrong URL (a 404). */
  hint?: string;
}

/** One webhook event and every attempt to deliver it. */
export interface FlowEmulatorDelivery {
  /** `whkevt_…`, the same on every attempt. */
  eventId: string;
  /** The event's name. */
  event: FlowSessionEvent['event'];
  /** The session the event is about. */
  sessionId: string;
  /** That session's customer reference. */
  customerReference: string;
  /** The session status the event carries. */
  status: string;
  /** The step that changed; null on status and retry events. */
  step: string | null;
  /** The exact body sent (the same bytes on every attempt). */
  body: string;
  /** Where it was sent; undefined when the emulator has no webhook URL. */
  url?: string;
  /** `delivered` after a 2xx; `retrying` while attempts remain; `failed` when none remain or after a 404; `not_sent` without a URL. */
  state: 'pending' | 'delivered' | 'retrying' | 'failed' | 'not_sent';
  /** Every attempt so far, oldest first. */
  attempts: FlowEmulatorAttempt[];
}

/** How deliveries are signed and retried. */
export interface WebhookDeliverySettings {
  secret: string;
  apiKey: string;
  /** `environment` of the bodies. */
  environment: string;
  /** Pauses before each retry; their count is the number of retries. */
  retryDelaysMs: readonly number[];
  /** How long one attempt waits for an answer. */
  timeoutMs: number;
  /** The current webhook URL, or undefined. */
  url(): URL | undefined;
  /** Told about each attempt, with a copy of the delivery. */
  onAttempt?: (delivery: FlowEmulatorDelivery) => void;
}

/** What a 404 from the receiver most often means, and how to fix the webhook URL. */
function notFoundHint(url: URL): string {
  return (
    `The receiver has no route at ${url.pathname}, so this delivery is not retried. If the app ` +
    'sets a global prefix (app.setGlobalPrefix) or URI versioning, put it in the webhook URL, ' +
    `e.g. ${url.origin}/api${url.pathname}.`
  );
}

function copy(delivery: FlowEmulatorDelivery): FlowEmulatorDelivery {
  return { ...delivery, attempts: delivery.attempts.map((attempt) => ({ ...attempt })) };
}

/**
 * Sends session events to the webhook URL signed as Cognito signs them (the API secret, the API
 * key as keyId, re-signed with a fresh Date on each attempt), first attempts in order, and retries
 * non-2xx answers after the configured pauses.
 */
export class WebhookDeliveries {
  private readonly all: FlowEmulatorDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private tail: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly settings: WebhookDeliverySettings) {}

  /** Copies of every delivery, oldest first. */
  list(): FlowEmulatorDelivery[] {
    return this.all.map(copy);
  }

  /** Queues the events; resolves when each has had its first attempt, with copies of their deliveries. */
  async send(events: readonly FlowSessionEvent[]): Promise<FlowEmulatorDelivery[]> {
    const queued: FlowEmulatorDelivery[] = [];
    for (const item of events) {
      const delivery: FlowEmulatorDelivery = {
        eventId: flowId('whkevt_'),
        event: item.event,
        sessionId: item.session.id,
        customerReference: item.session.customer_reference,
        status: item.session.status,
        step: item.step,
        body: '',
        state: 'pending',
        attempts: [],
      };
      delivery.body = buildFlowEventBody({
        eventId: delivery.eventId,
        sessionId: delivery.sessionId,
        event: delivery.event,
        customerReference: delivery.customerReference,
        status: delivery.status,
        step: delivery.step,
        environment: this.settings.environment,
        timestamp: new Date(),
      });
      this.all.push(delivery);
      queued.push(delivery);
      this.tail = this.tail.then(() => this.attempt(delivery));
    }
    await this.tail;
    return queued.map(copy);
  }

  /** Cancels every pending retry; later attempts are not made. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async attempt(delivery: FlowEmulatorDelivery): Promise<void> {
    if (this.closed) return;
    const url = this.settings.url();
    if (url === undefined) {
      delivery.state = 'not_sent';
      return;
    }
    delivery.url = url.href;
    const at = new Date().toISOString();
    const outcome = await sendDelivery(
      signDelivery(url, delivery.body, this.settings.secret, this.settings.apiKey, undefined),
      this.settings.timeoutMs,
    );
    // A 404 names no route: the app answers the same until it is changed and restarted, so
    // retrying only repeats it. Nest listens only once its routes exist, so a starting app never 404s.
    const notFound = outcome.status === 404;
    delivery.attempts.push({
      at,
      status: outcome.status,
      detail: outcome.error ?? outcome.excerpt,
      ...(notFound ? { hint: notFoundHint(url) } : {}),
    });
    const delay = this.settings.retryDelaysMs[delivery.attempts.length - 1];
    const ok = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
    const last = delay === undefined || this.closed || notFound;
    delivery.state = ok ? 'delivered' : last ? 'failed' : 'retrying';
    try {
      this.settings.onAttempt?.(copy(delivery));
    } catch {
      // A listener's failure must not stop deliveries nor reject the caller's pass()/fail().
    }
    if (delivery.state !== 'retrying') return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery);
    }, delay);
    this.timers.add(timer);
  }
}
