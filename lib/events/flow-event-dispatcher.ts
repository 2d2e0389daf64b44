import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { FlowApiClient } from '../api/flow-api-client.js';
import { FLOW_OPTIONS } from '../flow.constants.js';
import { MAX_EVENT_ID_LENGTH } from '../verifier/flow-event-payload.js';
import { escapeTerminalText } from '../delivery/escape-terminal.js';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import { FLOW_EVENT_STORE } from './events.constants.js';
import type { FlowDeadLetterHandler, FlowEventsSettings } from './event-processing-options.js';
import { dispatchResult, type FlowDispatchResult } from './flow-dispatch-result.js';
import { createFlowEventContext } from './flow-event-context.js';
import { FlowEventExplorer, type FlowEventHandlerRef } from './flow-event-explorer.js';
import type { FlowEventStore } from './flow-event-store.interface.js';
import { isTransactionalStore } from './flow-event-transactions.js';
import { LeaseKeeper, type LeaseRenewal } from './lease-renewal.js';
import { describeError, idOf, logHandlerFailures, runAll } from './run-handlers.js';
import { dispatchInTransaction } from './transactional-dispatch.js';
import { deadLetterLog } from './dead-letter-log.js';
import { InFlightDeliveries } from './in-flight-deliveries.js';
import { NOOP_FLOW_TELEMETRY, type FlowTelemetry } from '../telemetry/flow-telemetry.js';
import { FLOW_TELEMETRY } from '../telemetry/telemetry.constants.js';
import { DeliveryTrace } from './delivery-trace.js';
import { observeEventStore, storeKindOf } from './observed-event-store.js';

/**
 * Runs the `@OnFlowEvent` handlers of a verified event exactly once per event id, on one
 * instance or many sharing a store. The built-in receiver uses it; a host that writes its own
 * route calls `dispatch(event)` after `FlowWebhookGuard` and answers with the result's status.
 * It never throws: every failure is an outcome with a status that makes Cognito retry.
 */
@Injectable()
export class FlowEventDispatcher implements OnApplicationShutdown {
  private readonly logger = new Logger('FlowEvents');
  /** Deliveries under way, waited for at shutdown before the store closes. */
  private readonly inFlight = new InFlightDeliveries();
  /** Renews the claims of the deliveries under way, on one timer for all of them. */
  private readonly leases: LeaseKeeper;
  /** The store as this dispatcher uses it: each operation counted when telemetry records. */
  private readonly store: FlowEventStore;
  readonly #telemetry: FlowTelemetry;
  readonly #storeKind: string;

  constructor(
    @Inject(FLOW_OPTIONS) private readonly options: FlowEventsSettings,
    @Inject(FLOW_EVENT_STORE) store: FlowEventStore,
    private readonly explorer: FlowEventExplorer,
    @Optional() @Inject(FlowApiClient) private readonly api?: FlowApiClient,
    @Optional() @Inject(FLOW_TELEMETRY) telemetry: FlowTelemetry = NOOP_FLOW_TELEMETRY,
  ) {
    this.#telemetry = telemetry;
    this.#storeKind = storeKindOf(store);
    this.store = observeEventStore(store, telemetry);
    this.leases = new LeaseKeeper(this.store, options.webhook.leaseMs, this.logger);
  }

  /**
   * Claims the event id, runs every handler of the event (and the `'*'` handlers), marks the id
   * done only when all succeeded. Pass the VERIFIED body (from `@VerifiedFlowEvent()`), never data from
   * an unsigned header. `request`, when given, is what request-scoped handlers get as `REQUEST`.
   */
  async dispatch(event: FlowWebhookEvent, request?: unknown): Promise<FlowDispatchResult> {
    this.inFlight.start();
    const trace = DeliveryTrace.begin(this.#telemetry, event, request, this.#storeKind);
    let result: FlowDispatchResult | undefined;
    try {
      result = await this.claimAndRun(event, request, trace);
      return result;
    } finally {
      trace.end(result);
      this.inFlight.end();
    }
  }

  /**
   * Lets deliveries still running finish and mark their ids done, then closes the store: closing
   * it under them would make Cognito's retry run their handlers a second time.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.inFlight.settled();
    this.leases.close();
    await this.store.close?.();
  }

  private async claimAndRun(
    event: FlowWebhookEvent,
    request: unknown,
    trace: DeliveryTrace,
  ): Promise<FlowDispatchResult> {
    const usable =
      typeof event?.id === 'string' && event.id !== '' && event.id.length <= MAX_EVENT_ID_LENGTH;
    if (!usable || typeof event.event !== 'string') return dispatchResult('invalid_event');
    const handlers = this.explorer.handlersFor(event.event);
    if (handlers.length === 0) {
      this.logger.debug(
        `No @OnFlowEvent handler for ${escapeTerminalText(event.event)}: event ${idOf(event)} acknowledged.`,
      );
      return dispatchResult('no_handler');
    }
    if (isTransactionalStore(this.store)) {
      const { options, explorer, logger, api, deadLetter } = this;
      const deps = { options, explorer, logger, api, deadLetter, trace };
      return dispatchInTransaction(deps, this.store.transactions, event, request, handlers);
    }
    const { leaseMs } = this.options.webhook;
    const token = randomUUID();
    let claim;
    try {
      claim = await trace.step('flow.store.claim', () =>
        this.store.claim(event.id, token, leaseMs),
      );
    } catch (error) {
      this.logger.warn(
        `Flow event ${idOf(event)} not processed, the event store is unavailable (503): ${describeError(error)}`,
      );
      return dispatchResult('store_unavailable', 1);
    }
    if (claim.state === 'done') return dispatchResult('duplicate');
    if (claim.state === 'busy')
      return dispatchResult('in_progress', Math.max(1, Math.ceil(claim.retryAfterMs / 1000)));

    trace.claimed(event);
    const renewal = this.leases.hold(event.id, token);
    try {
      const delivery = this.explorer.deliveryContext(
        event,
        request,
        createFlowEventContext(event, this.api),
      );
      const errors = await runAll(handlers, event, delivery, trace.watch);
      if (errors.length === 0) return await this.finish(event, token, renewal, 'processed', trace);
      return await this.fail(event, token, renewal, handlers, errors, trace);
    } finally {
      renewal.stop();
    }
  }

  /** Marks the id done; a failure here means the handlers will run again on the retry. */
  private async finish(
    event: FlowWebhookEvent,
    token: string,
    renewal: LeaseRenewal,
    outcome: 'processed' | 'dead_lettered',
    trace: DeliveryTrace,
  ): Promise<FlowDispatchResult> {
    try {
      const doneTtlMs = this.options.webhook.doneTtlSeconds * 1000;
      const owned = await trace.step('flow.store.complete', () =>
        this.store.complete(event.id, token, doneTtlMs),
      );
      if (owned) return dispatchResult(outcome);
    } catch (error) {
      this.logger.error(
        `Flow event ${idOf(event)}: handlers succeeded but it could not be marked done (503); ` +
          `the retry will run them again: ${describeError(error)}`,
      );
      return dispatchResult('store_unavailable', 1);
    }
    if (!renewal.lost)
      this.logger.warn(
        `Flow event ${idOf(event)}: its claim was taken over before it was marked done.`,
      );
    return dispatchResult('claim_lost', 1);
  }

  /** Counts the failure; releases for a retry, or dead-letters once `maxAttempts` is reached. */
  private async fail(
    event: FlowWebhookEvent,
    token: string,
    renewal: LeaseRenewal,
    handlers: readonly FlowEventHandlerRef[],
    errors: Array<{ handler: string; error: unknown }>,
    trace: DeliveryTrace,
  ): Promise<FlowDispatchResult> {
    const { maxAttempts, doneTtlSeconds } = this.options.webhook;
    const lastError = logHandlerFailures(this.logger, event, handlers, errors);
    let attempts: number | null;
    try {
      attempts = await this.store.recordFailure(event.id, token, doneTtlSeconds * 1000);
    } catch (error) {
      this.logger.warn(
        `Flow event ${idOf(event)}: failure could not be recorded, the store is unavailable (503): ${describeError(error)}`,
      );
      return dispatchResult('store_unavailable', 1);
    }
    if (attempts === null) return dispatchResult('claim_lost', 1);
    if (attempts < maxAttempts) return this.release(event, token, 'failed');

    try {
      await this.deadLetter(event, lastError, attempts);
    } catch (error) {
      this.logger.error(
        `Flow event ${idOf(event)}: the dead-letter hook failed, the event will be retried: ${describeError(error)}`,
      );
      return this.release(event, token, 'failed');
    }
    return this.finish(event, token, renewal, 'dead_lettered', trace);
  }

  private async release(
    event: FlowWebhookEvent,
    token: string,
    outcome: 'failed',
  ): Promise<FlowDispatchResult> {
    try {
      await this.store.release(event.id, token);
    } catch (error) {
      // The lease still runs out on its own: the retry waits for it (409) rather than being lost.
      this.logger.warn(
        `Flow event ${idOf(event)}: claim not released, it expires with its lease: ${describeError(error)}`,
      );
    }
    return dispatchResult(outcome);
  }

  /** The host's dead-letter hook, or a log line. */
  private get deadLetter(): FlowDeadLetterHandler {
    return this.options.webhook.onDeadLetter ?? this.logDeadLetter;
  }

  private readonly logDeadLetter = deadLetterLog(this.logger);
}
