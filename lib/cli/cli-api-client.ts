import { FlowApiClient } from '../api/flow-api-client.js';
import type { FlowApiClientOptions } from '../api/flow-api-client-options.js';
import { FlowApiError } from '../api/flow-api-error.js';
import { readFlowEnvironment } from '../config/flow.config.js';
import { escapeTerminalText } from '../delivery/escape-terminal.js';
import { CliFailure } from './cli-errors.js';
import { cliMessage, resolveCliFlowOptions, type CliSecret } from './cli-flow-options.js';

/**
 * The API client of a CLI run, from the `FLOW_*` environment (and the secret file) as FlowModule
 * reads it: FLOW_API_KEY, FLOW_API_SECRET, FLOW_API_BASE_URL. One attempt per call: a person is
 * waiting and can run the command again.
 */
export function cliApiClient(
  env: Record<string, string | undefined>,
  secret: CliSecret,
  warn: (message: string) => void,
): FlowApiClient {
  const options = resolveCliFlowOptions(env, secret, warn);
  const apiKey = readFlowEnvironment(env).apiKey;
  if (apiKey === undefined) {
    throw new CliFailure(
      'missing_api_key',
      "No API key. Set FLOW_API_KEY (the …_key_… beside the secret in the Flow dashboard) to call Cognito's API.",
    );
  }
  return newCliApiClient({ apiKey, apiSecret: options.apiSecret, baseUrl: options.apiBaseUrl });
}

/**
 * A client with one attempt per call (a person is waiting and can run the command again); a
 * setting the client refuses becomes a {@link CliFailure} `invalid_api_config`.
 */
export function newCliApiClient(options: Omit<FlowApiClientOptions, 'maxRetries'>): FlowApiClient {
  try {
    return new FlowApiClient({ ...options, maxRetries: 0 });
  } catch (error) {
    throw new CliFailure('invalid_api_config', cliMessage(error as Error));
  }
}

/** A failed API call as one terminal line: the library's message and Cognito's own errors. */
export function describeApiFailure(error: FlowApiError): string {
  const details = error.errors
    .map((detail) => [detail.code, detail.message].filter((part) => typeof part === 'string'))
    .filter((parts) => parts.length > 0)
    .map((parts) => parts.join(': '));
  const said = details.length > 0 ? ` Cognito said: ${escapeTerminalText(details.join('; '))}` : '';
  return `${cliMessage(error)}${said}`;
}

/** A failed API call as the run's failure: code `api_<code>`, {@link describeApiFailure}, then `hint`. */
export function apiCallFailure(error: FlowApiError, hint = ''): CliFailure {
  return new CliFailure(`api_${error.code}`, `${describeApiFailure(error)}${hint}`);
}
