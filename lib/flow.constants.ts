/**
 * Internal injection token for the validated, redacted {@link FlowOptions} the module runs on.
 * Apps inject them with the {@link InjectFlowOptions} decorator.
 */
export const FLOW_OPTIONS = Symbol('FLOW_OPTIONS');

/**
 * Internal injection token for the options exactly as the host passed them (or as its async
 * factory returned them), before environment defaults and validation: what `JWT_MODULE_OPTIONS`
 * holds in `@nestjs/jwt`.
 */
export const FLOW_MODULE_OPTIONS = Symbol('FLOW_MODULE_OPTIONS');

/** Name of the `@nestjs/config` namespace that holds the `FLOW_*` environment variables. */
export const FLOW_CONFIG_NAMESPACE = 'flow';
