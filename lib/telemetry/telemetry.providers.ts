import type { Provider } from '@nestjs/common';
import { FLOW_OPTIONS } from '../flow.constants.js';
import { createFlowTelemetry } from './create-flow-telemetry.js';
import { FLOW_TELEMETRY } from './telemetry.constants.js';

/** What the recorder is made from: the module's resolved `telemetry` option. */
export interface FlowTelemetrySettings {
  /** False: record nothing. */
  readonly telemetry: boolean;
}

/** The module's recorder, made once per module from its options. */
export const flowTelemetryProvider: Provider = {
  provide: FLOW_TELEMETRY,
  useFactory: (options: FlowTelemetrySettings) => createFlowTelemetry(options.telemetry),
  inject: [FLOW_OPTIONS],
};
