import type { Context, Span, SpanKind, Tracer } from '@opentelemetry/api';
import { NOOP_SPAN, type FlowSpan } from './flow-telemetry.js';
import type { OpenTelemetryApiModule } from './open-telemetry-api.js';
import { flowAttributes, type FlowAttributes } from './telemetry-attributes.js';

/**
 * A {@link FlowSpan} over a recording OpenTelemetry span; attributes pass the allow-list. A span
 * the sampler leaves out becomes {@link NOOP_SPAN}, and so do its children: nothing is built for
 * spans no exporter will see.
 */
export class OpenTelemetrySpan implements FlowSpan {
  #ended = false;
  /** The context children start under, made on the first child. */
  #context: Context | undefined;

  constructor(
    private readonly api: OpenTelemetryApiModule,
    private readonly tracer: Tracer,
    private readonly span: Span,
  ) {}

  /** Starts a span under `parent`, else under the active context; NOOP_SPAN when unsampled. */
  static start(
    api: OpenTelemetryApiModule,
    tracer: Tracer,
    name: string,
    kind: SpanKind,
    attributes?: FlowAttributes,
    parent?: Context,
  ): FlowSpan {
    const options =
      attributes === undefined ? { kind } : { kind, attributes: flowAttributes(attributes) };
    const span = tracer.startSpan(name, options, parent ?? api.context.active());
    if (!span.isRecording()) return NOOP_SPAN;
    return new OpenTelemetrySpan(api, tracer, span);
  }

  child(name: string, attributes?: FlowAttributes): FlowSpan {
    this.#context ??= this.api.trace.setSpan(this.api.context.active(), this.span);
    return OpenTelemetrySpan.start(
      this.api,
      this.tracer,
      name,
      this.api.SpanKind.INTERNAL,
      attributes,
      this.#context,
    );
  }

  set(attributes: FlowAttributes): void {
    if (!this.#ended) this.span.setAttributes(flowAttributes(attributes));
  }

  fail(errorType: string): void {
    if (this.#ended) return;
    this.span.setAttributes(flowAttributes({ 'error.type': errorType }));
    this.span.setStatus({ code: this.api.SpanStatusCode.ERROR });
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.span.end();
  }
}
