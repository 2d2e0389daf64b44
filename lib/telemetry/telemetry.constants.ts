/** Internal injection token of the module's {@link FlowTelemetry} recorder. */
export const FLOW_TELEMETRY = Symbol('FLOW_TELEMETRY');
