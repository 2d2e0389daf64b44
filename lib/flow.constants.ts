/**
 * Injection token for the validated, redacted {@link FlowOptions} the module runs on.
 * Prefer the {@link InjectFlowOptions} decorator.
 */
export const FLOW_OPTIONS = Symbol('FLOW_OPTIONS');

/**
 * Injection token for the options exactly as the host passed them (or as its async factory
 * returned them), before environment defaults and validation. Internal wiring; hosts read
 * {@link FLOW_OPTIONS} instead.
 */
export const FLOW_MODULE_OPTIONS = Symbol('FLOW_MODULE_OPTIONS');

/** Name of the `@nestjs/config` namespace that holds the `FLOW_*` environment variables. */
export const FLOW_CONFIG_NAMESPACE = 'flow';
