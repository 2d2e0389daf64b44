import { createRequire } from 'node:module';
import type * as OpenTelemetryApi from '@opentelemetry/api';

/** The parts of `@opentelemetry/api` the recorder uses. */
export type OpenTelemetryApiModule = Pick<
  typeof OpenTelemetryApi,
  | 'metrics'
  | 'trace'
  | 'context'
  | 'SpanKind'
  | 'SpanStatusCode'
  | 'createNoopMeter'
  | 'ProxyTracerProvider'
>;

/** The package and its version, as the meter and the tracer are named. */
export interface FlowInstrumentationScope {
  readonly name: string;
  readonly version: string | undefined;
}

/** The module, or undefined when it is not installed; any other loading error is thrown. */
function load<T>(specifier: string): T | undefined {
  try {
    return createRequire(import.meta.url)(specifier) as T;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * `@opentelemetry/api`, loaded once when this module loads; undefined when the host did not
 * install it (an optional peer), and telemetry then records nothing.
 */
export const openTelemetryApi: OpenTelemetryApiModule | undefined =
  load<OpenTelemetryApiModule>('@opentelemetry/api');

/** `nestjs-cognito-flow` and the version of its package.json (dist/telemetry and lib/telemetry are both two levels down). */
export const FLOW_INSTRUMENTATION_SCOPE: FlowInstrumentationScope = {
  name: 'nestjs-cognito-flow',
  version: load<{ version?: unknown }>('../../package.json')?.version as string | undefined,
};
