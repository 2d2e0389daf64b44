import { registerAs } from '@nestjs/config';
import { FLOW_CONFIG_NAMESPACE } from '../flow.constants.js';
import type { FlowModuleOptions } from './flow-module-options.interface.js';
import { hideSecrets } from './hide-secrets.js';

/**
 * The `FLOW_*` environment variables, read as they are (validation happens in one place, later):
 * the module options that have a variable, under the same names.
 */
export type FlowEnvironmentValues = Pick<
  FlowModuleOptions,
  | 'apiSecret'
  | 'previousApiSecrets'
  | 'apiKey'
  | 'previousApiKeys'
  | 'publishableKey'
  | 'templateId'
  | 'apiBaseUrl'
>;

/** The environment variables the module reads, by option name. */
export const FLOW_ENVIRONMENT_VARIABLES = {
  apiSecret: 'FLOW_API_SECRET',
  previousApiSecrets: 'FLOW_PREVIOUS_API_SECRETS',
  apiKey: 'FLOW_API_KEY',
  previousApiKeys: 'FLOW_PREVIOUS_API_KEYS',
  publishableKey: 'FLOW_PUBLISHABLE_KEY',
  templateId: 'FLOW_TEMPLATE_ID',
  apiBaseUrl: 'FLOW_API_BASE_URL',
} as const satisfies Record<keyof FlowEnvironmentValues, string>;

function single(value: string | undefined): string | undefined {
  // An empty variable is as good as an unset one; both lead to the same clear error when required.
  return value === undefined || value === '' ? undefined : value;
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length > 0 ? items : undefined;
}

/** Reads the `FLOW_*` variables from an environment object (default `process.env`). */
export function readFlowEnvironment(
  env: Record<string, string | undefined> = process.env,
): FlowEnvironmentValues {
  return hideSecrets({
    apiSecret: single(env[FLOW_ENVIRONMENT_VARIABLES.apiSecret]),
    previousApiSecrets: list(env[FLOW_ENVIRONMENT_VARIABLES.previousApiSecrets]),
    apiKey: single(env[FLOW_ENVIRONMENT_VARIABLES.apiKey]),
    previousApiKeys: list(env[FLOW_ENVIRONMENT_VARIABLES.previousApiKeys]),
    publishableKey: single(env[FLOW_ENVIRONMENT_VARIABLES.publishableKey]),
    templateId: single(env[FLOW_ENVIRONMENT_VARIABLES.templateId]),
    apiBaseUrl: single(env[FLOW_ENVIRONMENT_VARIABLES.apiBaseUrl]),
  });
}

/**
 * The `flow` config namespace. Load it like any namespace
 * (`ConfigModule.forRoot({ load: [flowConfig] })`, `@Inject(flowConfig.KEY)`); `FlowModule.forRoot()`
 * registers it itself. Its value redacts the secrets when logged or serialised.
 */
export const flowConfig = registerAs(FLOW_CONFIG_NAMESPACE, (): FlowEnvironmentValues =>
  readFlowEnvironment(process.env),
);
