import type { Counter, Histogram, Meter } from '@opentelemetry/api';

/** Every instrument the module records to, made once per module instance. */
export interface FlowInstruments {
  readonly deliveries: Counter;
  readonly refusals: Counter;
  readonly handlerDuration: Histogram;
  readonly deliveryLag: Histogram;
  readonly storeOperations: Counter;
  readonly storeUnavailable: Counter;
  readonly apiRequests: Counter;
  readonly apiRetries: Counter;
  readonly apiDuration: Histogram;
  readonly routeAnswers: Counter;
}

// Handlers and API calls take milliseconds to seconds; a delivery's lag, seconds to hours.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LAG_BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 21_600, 86_400];

/** Creates the instruments on `meter`, with the names and units docs/telemetry.md lists. */
export function createFlowInstruments(meter: Meter): FlowInstruments {
  const counter = (name: string, unit: string, description: string): Counter =>
    meter.createCounter(name, { unit, description });
  const histogram = (name: string, description: string, buckets: number[]): Histogram =>
    meter.createHistogram(name, {
      unit: 's',
      description,
      advice: { explicitBucketBoundaries: buckets },
    });
  return {
    deliveries: counter(
      'flow.webhook.deliveries',
      '{delivery}',
      'Verified webhook deliveries, by event name and outcome.',
    ),
    refusals: counter(
      'flow.webhook.refusals',
      '{delivery}',
      'Webhook deliveries refused before processing, by reason code.',
    ),
    handlerDuration: histogram(
      'flow.webhook.handler.duration',
      'Time one @OnFlowEvent handler took.',
      DURATION_BUCKETS,
    ),
    deliveryLag: histogram(
      'flow.webhook.delivery.lag',
      "Time from an event's timestamp to the start of its processing.",
      LAG_BUCKETS,
    ),
    storeOperations: counter(
      'flow.store.operations',
      '{operation}',
      'Event store operations, by store, operation and outcome.',
    ),
    storeUnavailable: counter(
      'flow.store.unavailable',
      '{event}',
      'Deliveries answered 503 because the event store could not answer.',
    ),
    apiRequests: counter(
      'flow.api.requests',
      '{request}',
      "HTTP requests to Cognito's API, by operation and status class.",
    ),
    apiRetries: counter('flow.api.retries', '{retry}', "Requests to Cognito's API sent again."),
    apiDuration: histogram(
      'flow.api.request.duration',
      "Time one HTTP request to Cognito's API took.",
      DURATION_BUCKETS,
    ),
    routeAnswers: counter(
      'flow.route.answers',
      '{answer}',
      'Answers of the signature and hosted-session routes, by status class.',
    ),
  };
}
