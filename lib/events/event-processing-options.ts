import type { Logger } from '@nestjs/common';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { wholeNumberOption } from '../option-checks/whole-number.js';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';
import { checkDoneTtlWindow } from './done-ttl-window.js';
import type { FlowEventStore } from './flow-event-store.interface.js';

/** Called once when an event failed `maxAttempts` times and is acknowledged without success. */
export type FlowDeadLetterHandler = (
  event: FlowWebhookEvent,
  lastError: unknown,
  attempts: number,
) => void | Promise<void>;

/** How verified events are processed: the fields of the `webhook` block the dispatcher reads. */
export interface FlowEventProcessingOptions {
  /** Where processed event ids are kept. Default: a bounded in-memory store (one instance only). */
  store?: FlowEventStore;
  /** Failed attempts after which an event goes to the dead-letter hook and is acknowledged. Default 5. */
  maxAttempts?: number;
  /** How long a processed event id is remembered, in seconds. Default 7 days, Cognito's retry span. */
  doneTtlSeconds?: number;
  /** Lease of a claim in milliseconds; renewed while handlers run. Default 30 000. */
  leaseMs?: number;
  /** Receives poison events. Default: log an error. */
  onDeadLetter?: FlowDeadLetterHandler;
}

/** The keys of {@link FlowEventProcessingOptions}, as the `webhook` block accepts them. */
export const EVENT_PROCESSING_OPTION_KEYS = [
  'store',
  'maxAttempts',
  'doneTtlSeconds',
  'leaseMs',
  'onDeadLetter',
] as const satisfies ReadonlyArray<keyof FlowEventProcessingOptions>;

/** Defaults of the event-processing fields. */
export const EVENT_PROCESSING_DEFAULTS = {
  maxAttempts: 5,
  doneTtlSeconds: 7 * 24 * 60 * 60,
  leaseMs: 30_000,
} as const;

/** The event-processing fields after defaults are applied. */
export interface ResolvedFlowEventProcessingOptions {
  /** The host's event store, or undefined for the default in-memory one. */
  readonly store?: FlowEventStore;
  /** Failed attempts before dead-lettering. */
  readonly maxAttempts: number;
  /** How long processed ids are remembered, in seconds. */
  readonly doneTtlSeconds: number;
  /** Claim lease in milliseconds. */
  readonly leaseMs: number;
  /** The host's dead-letter hook, or undefined for the default (log an error). */
  readonly onDeadLetter?: FlowDeadLetterHandler;
}

/** What the events part reads from the module's resolved options. */
export interface FlowEventsSettings {
  /** The `webhook` block, of which events read the processing fields. */
  readonly webhook: ResolvedFlowEventProcessingOptions;
}

/**
 * Checks the event-processing fields and applies defaults. `toleranceSeconds` is the webhook
 * Date window the done-TTL must outlast (see {@link checkDoneTtlWindow}).
 * @throws FlowConfigurationError naming the option and how to fix it.
 */
export function resolveEventProcessingOptions(
  given: FlowEventProcessingOptions,
  toleranceSeconds: number,
  logger: Pick<Logger, 'warn'>,
): ResolvedFlowEventProcessingOptions {
  if (given.onDeadLetter !== undefined && typeof given.onDeadLetter !== 'function') {
    throw new FlowConfigurationError('invalid_option', 'webhook.onDeadLetter must be a function.');
  }
  const defaults = EVENT_PROCESSING_DEFAULTS;
  const resolved = {
    store: given.store,
    maxAttempts: wholeNumberOption(
      given.maxAttempts,
      'webhook.maxAttempts',
      defaults.maxAttempts,
      1,
    ),
    doneTtlSeconds: wholeNumberOption(
      given.doneTtlSeconds,
      'webhook.doneTtlSeconds',
      defaults.doneTtlSeconds,
      60,
    ),
    leaseMs: wholeNumberOption(given.leaseMs, 'webhook.leaseMs', defaults.leaseMs, 1000),
    onDeadLetter: given.onDeadLetter,
  };
  checkDoneTtlWindow({ doneTtlSeconds: resolved.doneTtlSeconds, toleranceSeconds }, logger);
  return resolved;
}
