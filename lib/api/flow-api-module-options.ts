import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { resolveFlowApiBase } from './flow-api-base-url.js';
import { apiNumberProblem } from './api-number-ranges.js';
import type { FlowApiClientOptions } from './flow-api-client-options.js';

/** The `api` block of `FlowModule.forRoot()`: how the injected {@link FlowApiClient} calls Cognito. */
export type FlowApiModuleOptions = Pick<
  FlowApiClientOptions,
  'timeoutMs' | 'maxRetries' | 'cognitoVersion'
>;

/** What the module's API settings are checked against at start-up. */
export interface FlowApiSettings {
  apiKey?: string;
  apiBaseUrl?: string;
  api?: FlowApiModuleOptions;
  /** `signatureEndpoint.hostedSessionPath` when the route is enabled. */
  hostedSessionPath?: string;
}

function invalid(message: string): never {
  throw new FlowConfigurationError('invalid_option', message);
}

/**
 * Start-up checks of the API settings, so a bad value stops the app with a fix instead of failing
 * on the first call: the hosted-session route needs the API key; `apiBaseUrl` must be a usable
 * URL; the `api` block holds whole numbers in range (a timeout a timer can keep) and a printable
 * version.
 * @throws FlowConfigurationError
 */
export function checkFlowApiSettings(settings: FlowApiSettings): void {
  const { apiKey, apiBaseUrl, api, hostedSessionPath } = settings;
  if (hostedSessionPath !== undefined && apiKey === undefined) {
    throw new FlowConfigurationError(
      'missing_api_key',
      `signatureEndpoint.hostedSessionPath ('${hostedSessionPath}') creates sessions through ` +
        "Cognito's API, which needs the API key: set apiKey (FLOW_API_KEY, the …_key_… beside the " +
        'secret in the Flow dashboard), or remove hostedSessionPath.',
    );
  }
  if (apiBaseUrl !== undefined) {
    try {
      resolveFlowApiBase(apiKey ?? 'live_', apiBaseUrl);
    } catch (error) {
      invalid(`apiBaseUrl (FLOW_API_BASE_URL): ${(error as Error).message}`);
    }
  }
  if (api === undefined) return;
  if (api === null || typeof api !== 'object') invalid('api must be an object.');
  for (const field of ['timeoutMs', 'maxRetries'] as const) {
    const value = api[field];
    const problem =
      value === undefined ? undefined : apiNumberProblem(field, value, `api.${field}`);
    if (problem !== undefined) invalid(problem);
  }
  const version = api.cognitoVersion;
  if (version !== undefined && (typeof version !== 'string' || !/^[\x21-\x7e]+$/.test(version))) {
    invalid("api.cognitoVersion must be a version string such as '2020-08-14'.");
  }
}
