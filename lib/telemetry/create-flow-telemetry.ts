import { NOOP_FLOW_TELEMETRY, type FlowTelemetry } from './flow-telemetry.js';
import {
  FLOW_INSTRUMENTATION_SCOPE,
  openTelemetryApi,
  type OpenTelemetryApiModule,
} from './open-telemetry-api.js';
import { OpenTelemetryRecorder } from './open-telemetry-recorder.js';

/**
 * True when the host registered a MeterProvider or a TracerProvider. Without either, the API
 * hands out its own no-op singletons, recognised here through its public API.
 */
export function sdkRegistered(api: OpenTelemetryApiModule): boolean {
  const { name, version } = FLOW_INSTRUMENTATION_SCOPE;
  if (api.metrics.getMeter(name, version) !== api.createNoopMeter()) return true;
  const tracing = api.trace.getTracerProvider();
  if (!(tracing instanceof api.ProxyTracerProvider)) return true;
  return tracing.getDelegate() !== new api.ProxyTracerProvider().getDelegate();
}

/**
 * The module's recorder: OpenTelemetry's when `@opentelemetry/api` is installed, `enabled`, and
 * an SDK is registered (before the app starts, as instruments are made once); else the no-op one.
 */
export function createFlowTelemetry(enabled = true): FlowTelemetry {
  if (!enabled || openTelemetryApi === undefined || !sdkRegistered(openTelemetryApi)) {
    return NOOP_FLOW_TELEMETRY;
  }
  return new OpenTelemetryRecorder(openTelemetryApi, FLOW_INSTRUMENTATION_SCOPE);
}
