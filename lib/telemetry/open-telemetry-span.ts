import type { Span, SpanKind, Tracer } from '@opentelemetry/api';
import type { FlowSpan } from './flow-telemetry.js';
import type { OpenTelemetryApiModule } from './open-telemetry-api.js';
import { flowAttributes, type FlowAttributes } from './telemetry-attributes.js';

/** A {@link FlowSpan} over an OpenTelemetry span; attributes pass the allow-list. */
export class OpenTelemetrySpan implements FlowSpan {
  #ended = false;

  constructor(
    private readonly api: OpenTelemetryApiModule,
    private readonly tracer: Tracer,
    private readonly span: Span,
  ) {}

  /** Starts a span under the active context, or under `parent` when given. */
  static start(
    api: OpenTelemetryApiModule,
    tracer: Tracer,
    name: string,
    kind: SpanKind,
    attributes: FlowAttributes,
    parent?: Span,
  ): OpenTelemetrySpan {
    const active = api.context.active();
    const context = parent === undefined ? active : api.trace.setSpan(active, parent);
    const span = tracer.startSpan(name, { kind, attributes: flowAttributes(attributes) }, context);
    return new OpenTelemetrySpan(api, tracer, span);
  }

  child(name: string, attributes: FlowAttributes = {}): FlowSpan {
    return OpenTelemetrySpan.start(
      this.api,
      this.tracer,
      name,
      this.api.SpanKind.INTERNAL,
      attributes,
      this.span,
    );
  }

  set(attributes: FlowAttributes): void {
    if (this.span.isRecording()) this.span.setAttributes(flowAttributes(attributes));
  }

  fail(errorType: string): void {
    if (!this.span.isRecording()) return;
    this.span.setAttributes(flowAttributes({ 'error.type': errorType }));
    this.span.setStatus({ code: this.api.SpanStatusCode.ERROR });
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.span.end();
  }
}
