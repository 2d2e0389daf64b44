import type { Provider } from '@nestjs/common';
import { FLOW_OPTIONS } from '../flow.constants.js';
import { FlowApiClient, unconfiguredFlowApiClient } from './flow-api-client.js';
import type { FlowApiModuleOptions } from './flow-api-module-options.js';
import { FLOW_API_OBSERVER } from './flow-api-observer.js';
import { NOOP_FLOW_TELEMETRY, type FlowTelemetry } from '../telemetry/flow-telemetry.js';
import { FLOW_TELEMETRY } from '../telemetry/telemetry.constants.js';

/** What the module's API client is made from: the module's resolved options. */
export interface FlowApiClientSettings {
  /** The API key id, when configured. */
  readonly apiKey?: string;
  /** The secret that signs requests. */
  readonly apiSecret: string;
  /** The default template of created sessions. */
  readonly templateId?: string;
  /** The API base URL overriding the key prefix's host. */
  readonly apiBaseUrl?: string;
  /** Timeout, retries and version. */
  readonly api?: FlowApiModuleOptions;
}

const NOT_CONFIGURED =
  "Cognito's API is not configured: set apiKey (FLOW_API_KEY) beside the API secret. " +
  'FLOW_API_BASE_URL overrides the host the key prefix selects.';

/**
 * Makes the module's {@link FlowApiClient} from its resolved options. Without an API key (or when
 * the key's prefix tells no host and no base URL is set) the client exists but every call throws
 * `FlowApiError` `not_configured` saying what to set; routes that need it refuse to start instead.
 */
export function createModuleFlowApiClient(
  options: FlowApiClientSettings,
  telemetry: FlowTelemetry = NOOP_FLOW_TELEMETRY,
): FlowApiClient {
  if (options.apiKey === undefined) return unconfiguredFlowApiClient(NOT_CONFIGURED);
  try {
    return new FlowApiClient({
      ...options.api,
      apiKey: options.apiKey,
      apiSecret: options.apiSecret,
      templateId: options.templateId,
      baseUrl: options.apiBaseUrl,
      // The telemetry recorder is the observer; the client knows only the observer's shape.
      ...(telemetry.enabled ? { [FLOW_API_OBSERVER]: telemetry } : {}),
    });
  } catch (error) {
    return unconfiguredFlowApiClient(
      `Cognito's API is not usable with this configuration: ${(error as Error).message}`,
    );
  }
}

/** The provider FlowModule registers and exports. */
export const flowApiClientProvider: Provider = {
  provide: FlowApiClient,
  useFactory: createModuleFlowApiClient,
  inject: [FLOW_OPTIONS, { token: FLOW_TELEMETRY, optional: true }],
};
