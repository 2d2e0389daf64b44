import {
  NOOP_FLOW_TELEMETRY,
  NOOP_SPAN,
  type FlowDeliveryOutcomeValue,
  type FlowSpan,
  type FlowTelemetry,
} from '../telemetry/flow-telemetry.js';
import { eventTimeMillis } from '../telemetry/event-time.js';
import { eventNameValue } from '../telemetry/telemetry-attributes.js';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import type { FlowDispatchOutcome, FlowDispatchResult } from './flow-dispatch-result.js';
import type { HandlerWatch } from './run-handlers.js';

/** The outcome attribute of each dispatch outcome. */
const OUTCOME_VALUES: Readonly<Record<FlowDispatchOutcome, FlowDeliveryOutcomeValue>> = {
  processed: 'processed',
  duplicate: 'duplicate',
  no_handler: 'no_handler',
  dead_lettered: 'dead_letter',
  in_progress: 'in_progress',
  claim_lost: 'claim_lost',
  failed: 'failed',
  store_unavailable: 'store_unavailable',
  invalid_event: 'invalid_event',
};

/** An error's class name, never its message (which may carry remote text). */
export function errorTypeOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * One delivery as the dispatcher reports it: the `flow.webhook.delivery` span (the guard's, when
 * it handed one over), its store and handler children, the delay, the handler durations and the
 * outcome. The event id is a span attribute (operators match it with logs); no metric carries it.
 */
export class DeliveryTrace {
  /** Given to `runAll` when telemetry records; undefined keeps its fast path. */
  readonly watch: HandlerWatch | undefined;
  /** The trace of every delivery while telemetry is off: each method returns at once. */
  static readonly #untraced = new DeliveryTrace(NOOP_FLOW_TELEMETRY, NOOP_SPAN, 'other', '');

  private constructor(
    private readonly telemetry: FlowTelemetry,
    private readonly span: FlowSpan,
    private readonly eventName: string,
    private readonly storeKind: string,
  ) {
    this.watch = telemetry.enabled ? (handler) => this.#handlerStarted(handler) : undefined;
  }

  /**
   * Starts the trace of `event`, continuing the guard's span for `request` when it kept one.
   * Without telemetry every delivery shares one trace that does nothing, so none is built.
   */
  static begin(
    telemetry: FlowTelemetry,
    event: FlowWebhookEvent,
    request: unknown,
    storeKind: string,
  ): DeliveryTrace {
    if (!telemetry.enabled) return DeliveryTrace.#untraced;
    const span = telemetry.takeOver(request) ?? telemetry.startDelivery();
    const eventName = eventNameValue(event?.event);
    if (span !== NOOP_SPAN) {
      span.set({
        'flow.event.name': eventName,
        ...(typeof event?.id === 'string' ? { 'flow.event.id': event.id } : {}),
      });
    }
    return new DeliveryTrace(telemetry, span, eventName, storeKind);
  }

  /** The claim was won: records the delay since the event's timestamp. */
  claimed(event: FlowWebhookEvent): void {
    if (!this.telemetry.enabled) return;
    const seconds = (Date.now() - eventTimeMillis(event.timestamp)) / 1000;
    if (Number.isFinite(seconds)) this.telemetry.lag(this.eventName, Math.max(0, seconds));
  }

  /**
   * Runs one store step under a child span (`flow.store.claim`, `flow.store.complete`); for a
   * delivery no tracer records, `run`'s own promise, with no second one around it.
   */
  step<T>(name: string, run: () => Promise<T>): Promise<T> {
    return this.span === NOOP_SPAN ? run() : this.#spanned(name, run);
  }

  /** Counts the delivery under its outcome and ends the span. */
  end(result: FlowDispatchResult | undefined): void {
    if (!this.telemetry.enabled) return;
    if (result === undefined) {
      this.span.fail('internal_error');
    } else {
      const outcome = OUTCOME_VALUES[result.outcome];
      this.telemetry.delivered(this.eventName, outcome);
      if (result.outcome === 'store_unavailable') this.telemetry.storeUnavailable(this.storeKind);
      this.span.set({ 'flow.delivery.outcome': outcome });
      if (result.status >= 500) this.span.fail(outcome);
    }
    this.span.end();
  }

  async #spanned<T>(name: string, run: () => Promise<T>): Promise<T> {
    const span = this.span.child(name, { 'flow.store.kind': this.storeKind });
    try {
      return await run();
    } catch (error) {
      span.fail(errorTypeOf(error));
      throw error;
    } finally {
      span.end();
    }
  }

  #handlerStarted(handler: string): (failure?: { error: unknown }) => void {
    const span =
      this.span === NOOP_SPAN
        ? NOOP_SPAN
        : this.span.child(`flow.handler ${handler}`, {
            'flow.event.name': this.eventName,
            'flow.handler.name': handler,
          });
    const started = performance.now();
    return (failure) => {
      this.telemetry.handlerRan(this.eventName, handler, (performance.now() - started) / 1000);
      if (failure !== undefined) span.fail(errorTypeOf(failure.error));
      span.end();
    };
  }
}
