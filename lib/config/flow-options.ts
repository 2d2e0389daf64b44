import { inspect } from 'node:util';
import type { FlowApiClientSettings } from '../api/flow-api-client.provider.js';
import type { FlowApiModuleOptions } from '../api/flow-api-module-options.js';
import type { FlowEventsSettings } from '../events/event-processing-options.js';
import type {
  FlowSignatureRouteSettings,
  ResolvedFlowSignatureEndpointOptions,
} from '../signature-endpoint/signature-endpoint-options.js';
import type { FlowSignerKeys } from '../signing/flow-signer-keys.js';
import type { FlowTelemetrySettings } from '../telemetry/telemetry.providers.js';
import type {
  FlowWebhookSettings,
  ResolvedFlowWebhookOptions,
} from '../webhook/webhook-options.js';
import { redactedCopy } from './hide-secrets.js';

/** Everything {@link FlowOptions} holds, as given to its constructor. */
export interface FlowOptionsInit {
  apiSecret: string;
  previousApiSecrets: readonly string[];
  apiKey?: string;
  previousApiKeys: readonly string[];
  publishableKey?: string;
  templateId?: string;
  apiBaseUrl?: string;
  api?: FlowApiModuleOptions;
  webhook: ResolvedFlowWebhookOptions;
  signatureEndpoint?: ResolvedFlowSignatureEndpointOptions;
  telemetry: boolean;
}

/**
 * The validated options the module runs on, injected with `@InjectFlowOptions()`. The secrets
 * live in private fields: logging, inspecting, spreading or serialising this object shows only
 * their redacted form (`live_secret_…(76 chars)`).
 */
export class FlowOptions
  implements
    FlowSignerKeys,
    FlowWebhookSettings,
    FlowEventsSettings,
    FlowSignatureRouteSettings,
    FlowApiClientSettings,
    FlowTelemetrySettings
{
  /** The API key id (`live_key_…`), if configured. */
  readonly apiKey?: string;
  /** Key ids being rotated out. */
  readonly previousApiKeys: readonly string[];
  /** The publishable key for the browser. */
  readonly publishableKey?: string;
  /** The Flow template id. */
  readonly templateId?: string;
  /** Cognito's API base URL, when it overrides the key prefix's host. */
  readonly apiBaseUrl?: string;
  /** The API client's timeout, retries and version, as given. */
  readonly api?: FlowApiModuleOptions;
  /** Webhook settings. */
  readonly webhook: ResolvedFlowWebhookOptions;
  /** The signature route's settings, when the route is enabled. */
  readonly signatureEndpoint?: ResolvedFlowSignatureEndpointOptions;
  /** False when metrics and spans are turned off. */
  readonly telemetry: boolean;

  readonly #apiSecret: string;
  readonly #previousApiSecrets: readonly string[];

  constructor(init: FlowOptionsInit) {
    this.#apiSecret = init.apiSecret;
    this.#previousApiSecrets = Object.freeze([...init.previousApiSecrets]);
    this.apiKey = init.apiKey;
    this.previousApiKeys = Object.freeze([...init.previousApiKeys]);
    this.publishableKey = init.publishableKey;
    this.templateId = init.templateId;
    this.apiBaseUrl = init.apiBaseUrl;
    this.api = init.api && Object.freeze({ ...init.api });
    this.webhook = Object.freeze({ ...init.webhook });
    this.signatureEndpoint = init.signatureEndpoint && Object.freeze({ ...init.signatureEndpoint });
    this.telemetry = init.telemetry;
    Object.freeze(this);
  }

  /** The secret that signs. Read it only to hand it to `node:crypto`. */
  get apiSecret(): string {
    return this.#apiSecret;
  }

  /** Secrets still accepted when verifying, never used to sign. */
  get previousApiSecrets(): readonly string[] {
    return this.#previousApiSecrets;
  }

  /** Every secret a verification tries, the current one first. */
  get secrets(): readonly string[] {
    return [this.#apiSecret, ...this.#previousApiSecrets];
  }

  /** The accepted `keyId`s, or undefined when no API key is configured (then any keyId is accepted). */
  get apiKeys(): readonly string[] | undefined {
    return this.apiKey === undefined ? undefined : [this.apiKey, ...this.previousApiKeys];
  }

  /** A redacted plain form, used by `JSON.stringify`: secrets and the store as `hideSecrets` shows them. */
  toJSON(): Record<string, unknown> {
    return redactedCopy({
      apiSecret: this.#apiSecret,
      previousApiSecrets: this.#previousApiSecrets,
      apiKey: this.apiKey,
      previousApiKeys: this.previousApiKeys,
      publishableKey: this.publishableKey,
      templateId: this.templateId,
      apiBaseUrl: this.apiBaseUrl,
      api: this.api,
      webhook: {
        ...this.webhook,
        onDeadLetter: this.webhook.onDeadLetter ? '[Function]' : undefined,
      },
      signatureEndpoint: this.signatureEndpoint && {
        path: this.signatureEndpoint.path,
        hostedSessionPath: this.signatureEndpoint.hostedSessionPath,
      },
      telemetry: this.telemetry,
    });
  }

  /** What `console.log` and `util.inspect` show. */
  [inspect.custom](depth: number, options: object, inspectFn: typeof inspect = inspect): string {
    return `FlowOptions ${inspectFn(this.toJSON(), options)}`;
  }
}
