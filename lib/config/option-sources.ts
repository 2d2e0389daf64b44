import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { FLOW_ENVIRONMENT_VARIABLES, type FlowEnvironmentValues } from './flow.config.js';
import type { FlowModuleOptions } from './flow-module-options.interface.js';

/**
 * One line saying where each field that has a `FLOW_*` variable came from: the options, the
 * variable, or nowhere. Names only, never a value, so it is safe in a debug log.
 */
export function describeOptionSources(
  given: FlowModuleOptions,
  env: FlowEnvironmentValues,
  envFallback: boolean,
): string {
  const fields = Object.keys(FLOW_ENVIRONMENT_VARIABLES) as Array<keyof FlowEnvironmentValues>;
  const parts = fields.map((field) => {
    if (given[field] !== undefined) return `${field} from options`;
    if (envFallback && env[field] !== undefined)
      return `${field} from ${FLOW_ENVIRONMENT_VARIABLES[field]}`;
    return `${field} unset`;
  });
  const mode = envFallback
    ? 'FLOW_* variables fill fields the options leave unset'
    : 'envFallback: false, no FLOW_* variable read';
  return `Option sources (${mode}): ${parts.join(', ')}.`;
}

/**
 * The `envFallback` option: whether `FLOW_*` variables fill the fields the options leave unset.
 * @throws FlowConfigurationError for anything but a boolean (a string `'false'` would read as true).
 */
export function envFallbackOf(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean') {
    throw new FlowConfigurationError('invalid_option', 'envFallback must be true or false.');
  }
  return value;
}
