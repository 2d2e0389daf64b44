import type { Attributes, Histogram, Tracer } from '@opentelemetry/api';
import { AttributeSets, setsOf } from './attribute-sets.js';
import { flowInstrumentsOf, type FlowInstruments } from './flow-instruments.js';
import type {
  FlowApiRequestEnd,
  FlowApiRequestInfo,
  FlowDeliveryOutcomeValue,
  FlowSpan,
  FlowTelemetry,
} from './flow-telemetry.js';
import { NOOP_SPAN } from './flow-telemetry.js';
import type { FlowInstrumentationScope, OpenTelemetryApiModule } from './open-telemetry-api.js';
import { OpenTelemetrySpan } from './open-telemetry-span.js';
import { statusClassOf } from './telemetry-attributes.js';

/**
 * Records to whatever MeterProvider and TracerProvider the host registered globally. Instruments
 * and attribute sets are made once; spans only when a TracerProvider was registered at start-up
 * and the delivery is sampled.
 */
export class OpenTelemetryRecorder implements FlowTelemetry {
  readonly enabled = true;
  readonly #instruments: FlowInstruments;
  readonly #tracer: Tracer | undefined;
  readonly #handedOver = new WeakMap<object, FlowSpan>();
  // The histograms' attribute sets; the counters keep theirs in their tallies.
  readonly #events = new AttributeSets(setsOf('flow.event.name'));
  readonly #handlers = new AttributeSets(setsOf('flow.event.name', 'flow.handler.name'));
  readonly #apiCalls = new AttributeSets(
    setsOf('flow.api.operation', 'http.response.status_class'),
  );

  constructor(
    private readonly api: OpenTelemetryApiModule,
    scope: FlowInstrumentationScope,
    tracing = true,
  ) {
    this.#instruments = flowInstrumentsOf(api.metrics.getMeter(scope.name, scope.version));
    this.#tracer = tracing ? api.trace.getTracer(scope.name, scope.version) : undefined;
  }

  startDelivery(): FlowSpan {
    if (this.#tracer === undefined) return NOOP_SPAN;
    return OpenTelemetrySpan.start(
      this.api,
      this.#tracer,
      'flow.webhook.delivery',
      this.api.SpanKind.INTERNAL,
    );
  }

  handOver(request: object, span: FlowSpan): void {
    // Kept even when unsampled, so the dispatcher does not sample the same delivery again.
    if (this.#tracer !== undefined) this.#handedOver.set(request, span);
  }

  takeOver(request: unknown): FlowSpan | undefined {
    if (this.#tracer === undefined) return NOOP_SPAN;
    if (typeof request !== 'object' || request === null) return undefined;
    const span = this.#handedOver.get(request);
    if (span !== undefined) this.#handedOver.delete(request);
    return span;
  }

  refused(reason: string): void {
    this.#instruments.refusals.add(reason);
  }

  delivered(eventName: string, outcome: FlowDeliveryOutcomeValue): void {
    this.#instruments.deliveries.add(eventName, outcome);
  }

  lag(eventName: string, seconds: number): void {
    this.#histogram(this.#instruments.deliveryLag, seconds, this.#events.get(eventName));
  }

  handlerRan(eventName: string, handlerName: string, seconds: number): void {
    const attributes = this.#handlers.get(eventName, handlerName);
    this.#histogram(this.#instruments.handlerDuration, seconds, attributes);
  }

  storeOperation(kind: string, operation: string, ok: boolean): void {
    (ok ? this.#instruments.storeOk : this.#instruments.storeError).add(kind, operation);
  }

  storeUnavailable(kind: string): void {
    this.#instruments.storeUnavailable.add(kind);
  }

  apiRequest(info: FlowApiRequestInfo): (end: FlowApiRequestEnd) => void {
    const span = this.#apiSpan(info);
    const started = performance.now();
    return (end) => {
      const seconds = (performance.now() - started) / 1000;
      const statusClass = statusClassOf(end.status);
      this.#instruments.apiRequests.add(info.operation, statusClass);
      this.#histogram(
        this.#instruments.apiDuration,
        seconds,
        this.#apiCalls.get(info.operation, statusClass),
      );
      if (end.retry) this.#instruments.apiRetries.add(info.operation);
      if (end.status !== undefined) span.set({ 'http.response.status_code': end.status });
      if (end.errorType !== undefined) span.fail(end.errorType);
      span.end();
    };
  }

  routeAnswered(route: 'signature' | 'hosted_session', status: number | undefined): void {
    this.#instruments.routeAnswers.add(route, statusClassOf(status));
  }

  /** One histogram point, with the context active now, through the meter's batch. */
  #histogram(histogram: Histogram, value: number, attributes: Attributes): void {
    this.#instruments.histograms.record(histogram, value, attributes, this.api.context.active());
  }

  /** The CLIENT span of one API request, with OpenTelemetry's HTTP client attributes. */
  #apiSpan(info: FlowApiRequestInfo): FlowSpan {
    if (this.#tracer === undefined) return NOOP_SPAN;
    const url = new URL(info.url);
    return OpenTelemetrySpan.start(this.api, this.#tracer, info.method, this.api.SpanKind.CLIENT, {
      'http.request.method': info.method,
      'server.address': url.hostname,
      'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      'url.full': info.url,
      'url.template': info.template,
      'flow.api.operation': info.operation,
      ...(info.attempt > 1 ? { 'http.request.resend_count': info.attempt - 1 } : {}),
    });
  }
}
