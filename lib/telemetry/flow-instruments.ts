import type { Histogram, Meter } from '@opentelemetry/api';
import { setsOf } from './attribute-sets.js';
import { HistogramBatch } from './histogram-batch.js';
import { TalliedCounter, type CountFamily } from './tallied-counter.js';

/**
 * Every instrument the module records to, made once per meter. Counters are tallied in the
 * process and reported at collection (see {@link TalliedCounter}); histogram points go through
 * `histograms` (see {@link HistogramBatch}).
 */
export interface FlowInstruments {
  /** By event name and outcome. */
  readonly deliveries: CountFamily;
  /** By reason. */
  readonly refusals: CountFamily;
  /** By store kind and operation, `flow.store.outcome` `ok`. */
  readonly storeOk: CountFamily;
  /** By store kind and operation, `flow.store.outcome` `error`. */
  readonly storeError: CountFamily;
  /** By store kind. */
  readonly storeUnavailable: CountFamily;
  /** By operation and status class. */
  readonly apiRequests: CountFamily;
  /** By operation. */
  readonly apiRetries: CountFamily;
  /** By route and status class. */
  readonly routeAnswers: CountFamily;
  /** Where every point of the three histograms below is recorded. */
  readonly histograms: HistogramBatch;
  readonly handlerDuration: Histogram;
  readonly deliveryLag: Histogram;
  readonly apiDuration: Histogram;
}

// Handlers and API calls take milliseconds to seconds; a delivery's lag, seconds to hours.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LAG_BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 21_600, 86_400];

// Module instances recording to one meter share its instruments and their tallies.
const byMeter = new WeakMap<Meter, FlowInstruments>();

/** The instruments on `meter`, with the names and units docs/telemetry.md lists. */
export function flowInstrumentsOf(meter: Meter): FlowInstruments {
  let instruments = byMeter.get(meter);
  if (instruments === undefined) {
    instruments = createFlowInstruments(meter);
    byMeter.set(meter, instruments);
  }
  return instruments;
}

function createFlowInstruments(meter: Meter): FlowInstruments {
  const counter = (name: string, unit: string, description: string): TalliedCounter =>
    new TalliedCounter(meter.createObservableCounter(name, { unit, description }));
  const histogram = (name: string, description: string, buckets: number[]): Histogram =>
    meter.createHistogram(name, {
      unit: 's',
      description,
      advice: { explicitBucketBoundaries: buckets },
    });
  const deliveries = counter(
    'flow.webhook.deliveries',
    '{delivery}',
    'Verified webhook deliveries, by event name and outcome.',
  );
  const storeOperations = counter(
    'flow.store.operations',
    '{operation}',
    'Event store operations, by store, operation and outcome.',
  );
  return {
    deliveries: deliveries.family(setsOf('flow.event.name', 'flow.delivery.outcome')),
    refusals: counter(
      'flow.webhook.refusals',
      '{delivery}',
      'Webhook deliveries refused before processing, by reason code.',
    ).family(setsOf('flow.refusal.reason')),
    storeOk: storeOperations.family(
      setsOf('flow.store.kind', 'flow.store.operation', { 'flow.store.outcome': 'ok' }),
    ),
    storeError: storeOperations.family(
      setsOf('flow.store.kind', 'flow.store.operation', { 'flow.store.outcome': 'error' }),
    ),
    storeUnavailable: counter(
      'flow.store.unavailable',
      '{event}',
      'Deliveries answered 503 because the event store could not answer.',
    ).family(setsOf('flow.store.kind')),
    apiRequests: counter(
      'flow.api.requests',
      '{request}',
      "HTTP requests to Cognito's API, by operation and status class.",
    ).family(setsOf('flow.api.operation', 'http.response.status_class')),
    apiRetries: counter(
      'flow.api.retries',
      '{retry}',
      "Requests to Cognito's API sent again.",
    ).family(setsOf('flow.api.operation')),
    routeAnswers: counter(
      'flow.route.answers',
      '{answer}',
      'Answers of the signature and hosted-session routes, by status class.',
    ).family(setsOf('flow.route', 'http.response.status_class')),
    histograms: new HistogramBatch(meter, deliveries.instrument),
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
    apiDuration: histogram(
      'flow.api.request.duration',
      "Time one HTTP request to Cognito's API took.",
      DURATION_BUCKETS,
    ),
  };
}
