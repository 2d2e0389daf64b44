import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';

/**
 * Checks the module's `telemetry` option: `true` (the default) records metrics and spans through
 * `@opentelemetry/api` when it is installed, `false` records nothing.
 * @throws FlowConfigurationError for anything but a boolean.
 */
export function resolveTelemetryOption(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean') {
    throw new FlowConfigurationError(
      'invalid_option',
      'telemetry must be true or false (false turns metrics and spans off).',
    );
  }
  return value;
}
