import type { Attributes, Tracer } from '@opentelemetry/api';
import { createFlowInstruments, type FlowInstruments } from './flow-instruments.js';
import type {
  FlowApiRequestEnd,
  FlowApiRequestInfo,
  FlowDeliveryOutcomeValue,
  FlowSpan,
  FlowTelemetry,
} from './flow-telemetry.js';
import type { FlowInstrumentationScope, OpenTelemetryApiModule } from './open-telemetry-api.js';
import { OpenTelemetrySpan } from './open-telemetry-span.js';
import { flowAttributes, statusClassOf, type FlowAttributes } from './telemetry-attributes.js';

/**
 * Records to whatever MeterProvider and TracerProvider the host registered globally; with none,
 * the API's no-op instruments make every call nearly free. Instruments are made once, here.
 */
export class OpenTelemetryRecorder implements FlowTelemetry {
  readonly enabled = true;
  readonly #instruments: FlowInstruments;
  readonly #tracer: Tracer;
  readonly #handedOver = new WeakMap<object, FlowSpan>();
  /** Attribute sets already built, by their values: a delivery records five points with few sets. */
  readonly #attributeSets = new Map<string, Attributes>();

  constructor(
    private readonly api: OpenTelemetryApiModule,
    scope: FlowInstrumentationScope,
  ) {
    this.#instruments = createFlowInstruments(api.metrics.getMeter(scope.name, scope.version));
    this.#tracer = api.trace.getTracer(scope.name, scope.version);
  }

  startDelivery(): FlowSpan {
    return OpenTelemetrySpan.start(
      this.api,
      this.#tracer,
      'flow.webhook.delivery',
      this.api.SpanKind.INTERNAL,
      {},
    );
  }

  handOver(request: object, span: FlowSpan): void {
    this.#handedOver.set(request, span);
  }

  takeOver(request: unknown): FlowSpan | undefined {
    if (typeof request !== 'object' || request === null) return undefined;
    const span = this.#handedOver.get(request);
    this.#handedOver.delete(request);
    return span;
  }

  refused(reason: string): void {
    this.#instruments.refusals.add(1, this.#set({ 'flow.refusal.reason': reason }));
  }

  delivered(eventName: string, outcome: FlowDeliveryOutcomeValue): void {
    this.#instruments.deliveries.add(
      1,
      this.#set({ 'flow.event.name': eventName, 'flow.delivery.outcome': outcome }),
    );
  }

  lag(eventName: string, seconds: number): void {
    this.#instruments.deliveryLag.record(seconds, this.#set({ 'flow.event.name': eventName }));
  }

  handlerRan(eventName: string, handlerName: string, seconds: number): void {
    this.#instruments.handlerDuration.record(
      seconds,
      this.#set({ 'flow.event.name': eventName, 'flow.handler.name': handlerName }),
    );
  }

  storeOperation(kind: string, operation: string, ok: boolean): void {
    this.#instruments.storeOperations.add(
      1,
      this.#set({
        'flow.store.kind': kind,
        'flow.store.operation': operation,
        'flow.store.outcome': ok ? 'ok' : 'error',
      }),
    );
  }

  storeUnavailable(kind: string): void {
    this.#instruments.storeUnavailable.add(1, this.#set({ 'flow.store.kind': kind }));
  }

  apiRequest(info: FlowApiRequestInfo): (end: FlowApiRequestEnd) => void {
    const url = new URL(info.url);
    const span = OpenTelemetrySpan.start(
      this.api,
      this.#tracer,
      info.method,
      this.api.SpanKind.CLIENT,
      {
        'http.request.method': info.method,
        'server.address': url.hostname,
        'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        'url.full': info.url,
        'url.template': info.template,
        'flow.api.operation': info.operation,
        ...(info.attempt > 1 ? { 'http.request.resend_count': info.attempt - 1 } : {}),
      },
    );
    const started = performance.now();
    return (end) => {
      const seconds = (performance.now() - started) / 1000;
      const metric = attributes({
        'flow.api.operation': info.operation,
        'http.response.status_class': statusClassOf(end.status),
      });
      this.#instruments.apiRequests.add(1, metric);
      this.#instruments.apiDuration.record(seconds, metric);
      if (end.retry) {
        this.#instruments.apiRetries.add(1, attributes({ 'flow.api.operation': info.operation }));
      }
      if (end.status !== undefined) span.set({ 'http.response.status_code': end.status });
      if (end.errorType !== undefined) span.fail(end.errorType);
      span.end();
    };
  }

  routeAnswered(route: 'signature' | 'hosted_session', status: number | undefined): void {
    this.#instruments.routeAnswers.add(
      1,
      this.#set({ 'flow.route': route, 'http.response.status_class': statusClassOf(status) }),
    );
  }

  /** The allowed attribute set of `given`, built once per distinct set of values (up to 1 024). */
  #set(given: FlowAttributes): Attributes {
    const key = Object.entries(given).flat().join('\u0000');
    const known = this.#attributeSets.get(key);
    if (known !== undefined) return known;
    const built = attributes(given);
    if (this.#attributeSets.size < MAX_ATTRIBUTE_SETS) this.#attributeSets.set(key, built);
    return built;
  }
}

// Values are low-cardinality by design; the cap only bounds memory should that ever fail.
const MAX_ATTRIBUTE_SETS = 1024;

function attributes(given: FlowAttributes): Attributes {
  return flowAttributes(given);
}
