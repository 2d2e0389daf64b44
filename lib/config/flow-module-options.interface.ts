import type { ModuleMetadata, Provider, Type } from '@nestjs/common';
import type { FlowApiModuleOptions } from '../api/flow-api-module-options.js';
import type {
  FlowSignatureEndpointOptions,
  FlowSignatureEndpointShape,
} from '../signature-endpoint/signature-endpoint-options.js';
import type { FlowWebhookOptions } from '../webhook/webhook-options.js';

/** `Omit` applied to each member of a union, so a discriminated union stays discriminated. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Options of {@link FlowModule.forRoot}: the keys every part shares, and each part's own block
 * (`signatureEndpoint`, `webhook`, `api`), whose types live beside that part. Every field not
 * given is read from `FLOW_*` variables.
 */
export interface FlowModuleOptions {
  /** The API secret (`live_secret_…`). Backend only. Env: `FLOW_API_SECRET`. */
  apiSecret?: string;
  /** Secrets being rotated out: webhooks and signatures made with them still verify; never used to sign. Env: `FLOW_PREVIOUS_API_SECRETS` (comma-separated). */
  previousApiSecrets?: string[];
  /** The API key id (`live_key_…`), matched against a webhook's `keyId` when set. Env: `FLOW_API_KEY`. */
  apiKey?: string;
  /** Key ids being rotated out, still accepted as `keyId`. Env: `FLOW_PREVIOUS_API_KEYS`. */
  previousApiKeys?: string[];
  /** The publishable key the browser passes to `new Flow()`. Env: `FLOW_PUBLISHABLE_KEY`. */
  publishableKey?: string;
  /** The Flow template id (`flwtmp_…`). Env: `FLOW_TEMPLATE_ID`. */
  templateId?: string;
  /** Cognito's API base URL. Default: from the API key's prefix (live or sandbox). Env: `FLOW_API_BASE_URL`. */
  apiBaseUrl?: string;
  /** How the injected `FlowApiClient` calls Cognito's API (timeout, retries, version). */
  api?: FlowApiModuleOptions;
  /** Registers the module globally, so any module can inject `FlowSigner` and use the guard. */
  isGlobal?: boolean;
  /** The current user's signature route. Absent: no route. */
  signatureEndpoint?: FlowSignatureEndpointOptions;
  /** Webhook verification settings and the optional built-in receiver. */
  webhook?: FlowWebhookOptions;
  /**
   * Metrics and spans through `@opentelemetry/api`, when it is installed (docs/telemetry.md).
   * Default `true`; `false` records nothing.
   */
  telemetry?: boolean;
  /**
   * `false`: read no `FLOW_*` environment variable; every value comes from these options (or the
   * async factory). Default `true`: a field not given is read from its variable.
   */
  envFallback?: boolean;
}

/** The values an async factory supplies: everything but the route shapes, which must be static. */
export type FlowModuleValues = Omit<
  FlowModuleOptions,
  'isGlobal' | 'signatureEndpoint' | 'envFallback'
> & {
  /** Only the resolver may come from the factory; guards, path and imports are static. */
  signatureEndpoint?: Pick<FlowSignatureEndpointOptions, 'customerReference'>;
};

/** A class that produces the module's values, for `forRootAsync({ useClass })`. */
export interface FlowOptionsFactory {
  /** Returns the values; may be async. */
  createFlowOptions(): FlowModuleValues | Promise<FlowModuleValues>;
}

/**
 * Options of {@link FlowModule.forRootAsync}. Exactly one of `useFactory`, `useClass` and
 * `useExisting`; every other key given here is used, or refused at start-up.
 */
export interface FlowModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Registers the module globally. */
  isGlobal?: boolean;
  /** Providers to inject into `useFactory` (refused beside `useClass` / `useExisting`). */
  inject?: any[];
  /** Builds the values (secrets, keys, template id, webhook settings). */
  useFactory?: (...args: any[]) => FlowModuleValues | Promise<FlowModuleValues>;
  /** A {@link FlowOptionsFactory} class the module instantiates. */
  useClass?: Type<FlowOptionsFactory>;
  /** An existing {@link FlowOptionsFactory} provider to reuse. */
  useExisting?: Type<FlowOptionsFactory>;
  /**
   * The signature route's static shape: guards must be known while Nest scans modules, so they
   * are given here, beside the factory, never by it.
   */
  signatureEndpoint?: DistributiveOmit<FlowSignatureEndpointOptions, 'customerReference'> &
    Partial<Pick<FlowSignatureEndpointShape, 'customerReference'>>;
  /**
   * The `webhook` block beside the factory: the receiver's route shape (`path`, `version`,
   * `decorators`, static since routes are fixed when the module is built) and any other webhook
   * setting (`store`, `toleranceSeconds`…). A setting may come from here or from the factory;
   * both giving it different values is refused.
   */
  webhook?: FlowWebhookOptions;
  /** `false`: read no `FLOW_*` environment variable, only the factory's values. Default `true`. */
  envFallback?: boolean;
  /** Providers added to the module, for the factory to inject (as in `@nestjs/jwt`). */
  extraProviders?: Provider[];
}
