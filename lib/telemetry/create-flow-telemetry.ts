import { NOOP_FLOW_TELEMETRY, type FlowTelemetry } from './flow-telemetry.js';
import { FLOW_INSTRUMENTATION_SCOPE, openTelemetryApi } from './open-telemetry-api.js';
import { OpenTelemetryRecorder } from './open-telemetry-recorder.js';

/**
 * The module's recorder: OpenTelemetry's when `@opentelemetry/api` is installed and `enabled`,
 * else the no-op one.
 */
export function createFlowTelemetry(enabled = true): FlowTelemetry {
  if (!enabled || openTelemetryApi === undefined) return NOOP_FLOW_TELEMETRY;
  return new OpenTelemetryRecorder(openTelemetryApi, FLOW_INSTRUMENTATION_SCOPE);
}
