import type { CanActivate, ModuleMetadata, Provider, Type, VERSION_NEUTRAL } from '@nestjs/common';
import type { FlowApiModuleOptions } from '../api/flow-api-module-options.js';
import type { FlowEventStore } from '../events/flow-event-store.interface.js';
import type { FlowWebhookEvent } from '../verifier/flow-webhook-event.js';

/**
 * Resolves the customer reference (and optionally the e-mail) of the user a request belongs to.
 * It receives the platform request after the host's guards ran, so it reads the authenticated
 * principal (`request.user`), never the query, body, params or headers.
 */
export type FlowCustomerReferenceResolver = (
  request: any,
) =>
  | string
  | FlowCustomerIdentity
  | undefined
  | null
  | Promise<string | FlowCustomerIdentity | undefined | null>;

/** What a {@link FlowCustomerReferenceResolver} may return instead of a bare reference. */
export interface FlowCustomerIdentity {
  /** The user's stable, unique id (a database id; never an e-mail or a session id). */
  customerReference: string;
  /** Pre-fills Flow's e-mail field when given. */
  email?: string;
}

/** A route version as `@Controller({ version })` takes it: `'1'`, `['1', '2']` or `VERSION_NEUTRAL`. */
export type FlowRouteVersion =
  string | typeof VERSION_NEUTRAL | Array<string | typeof VERSION_NEUTRAL>;

/** The settings both forms of {@link FlowSignatureEndpointOptions} share. */
export interface FlowSignatureEndpointShape {
  /** Route path, relative to the host's global prefix. Default `users/current/flow_signature`. */
  path?: string;
  /** Reads the current user's reference from the request. Default: `request.user.id`. */
  customerReference?: FlowCustomerReferenceResolver;
  /** Modules the guards need (JwtModule, the host's auth module…), imported into FlowModule. */
  imports?: ModuleMetadata['imports'];
  /** The route's version under `app.enableVersioning()`. Default `VERSION_NEUTRAL`: no version. */
  version?: FlowRouteVersion;
  /**
   * Class decorators put on the generated controller, as on a class of the host's own
   * (`[SkipThrottle(), ApiExcludeController()]`). They add metadata; the route keeps its guards.
   */
  decorators?: ClassDecorator[];
  /**
   * Adds `POST` on this path (e.g. `users/current/flow_session`), behind the same guards: creates
   * (or returns) the current user's shareable session and answers its URL, for mobile WebViews.
   * Needs `apiKey`. Unset: no route.
   */
  hostedSessionPath?: string;
}

/** The signature route enabled (the default): it never runs unguarded, so `guards` is required. */
export interface FlowEnabledSignatureEndpointOptions extends FlowSignatureEndpointShape {
  /**
   * The host's auth guard(s), classes or instances, or `'global'`: the route relies on the app's
   * global guards (`APP_GUARD` providers), which start-up requires to exist. Required: the route
   * never runs unguarded.
   */
  guards: Array<Type<CanActivate> | CanActivate> | 'global';
  /** Default `true`. Set `false` to keep the block in config but register no route. */
  enabled?: true;
}

/** The block kept in config with no route registered: `guards` may be left out. */
export interface FlowDisabledSignatureEndpointOptions extends FlowSignatureEndpointShape {
  /** Ignored while the route is disabled. */
  guards?: Array<Type<CanActivate> | CanActivate> | 'global';
  /** `false`: no route is registered. */
  enabled: false;
}

/**
 * The `GET users/current/flow_signature` route: present only when this block is given and not
 * `enabled: false`. `guards` is required unless `enabled` is `false`.
 */
export type FlowSignatureEndpointOptions =
  FlowEnabledSignatureEndpointOptions | FlowDisabledSignatureEndpointOptions;

/** `Omit` applied to each member of a union, so a discriminated union stays discriminated. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Called once when an event failed `maxAttempts` times and is acknowledged without success. */
export type FlowDeadLetterHandler = (
  event: FlowWebhookEvent,
  lastError: unknown,
  attempts: number,
) => void | Promise<void>;

/** Webhook verification and, when `path` is set, the built-in receiver route. */
export interface FlowWebhookOptions {
  /** Registers the built-in receiver at this path (e.g. `webhook_receivers/flow`). Unset: no route. */
  path?: string;
  /**
   * The path Cognito signed, when a proxy rewrites it before the app sees it (e.g. the app sees
   * `/flow` but Cognito posts to `/hooks/flow`). Default: the path as received.
   */
  publicPath?: string;
  /** Largest accepted distance between `Date` and the server clock, both ways. Default 900 (15 min). */
  toleranceSeconds?: number;
  /** Largest accepted body in bytes, checked before hashing. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Where processed event ids are kept. Default: a bounded in-memory store (one instance only). */
  store?: FlowEventStore;
  /** Failed attempts after which an event goes to the dead-letter hook and is acknowledged. Default 5. */
  maxAttempts?: number;
  /** How long a processed event id is remembered, in seconds. Default 7 days, Cognito's retry span. */
  doneTtlSeconds?: number;
  /** Lease of a claim in milliseconds; renewed while handlers run. Default 30 000. */
  leaseMs?: number;
  /** Receives poison events. Default: log an error. */
  onDeadLetter?: FlowDeadLetterHandler;
  /** The built-in receiver's version under `app.enableVersioning()`. Default `VERSION_NEUTRAL`. */
  version?: FlowRouteVersion;
  /** Class decorators put on the built-in receiver's controller (`[SkipThrottle(), Public()]`). */
  decorators?: ClassDecorator[];
}

/** Options of {@link FlowModule.forRoot}. Every field not given is read from `FLOW_*` variables. */
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

/** Options of {@link FlowModule.forRootAsync}. */
export interface FlowModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Registers the module globally. */
  isGlobal?: boolean;
  /** Providers to inject into `useFactory`. */
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
  /** The built-in receiver's route shape (static, since routes are fixed when the module is built). */
  webhook?: Pick<FlowWebhookOptions, 'path' | 'version' | 'decorators'>;
  /** `false`: read no `FLOW_*` environment variable, only the factory's values. Default `true`. */
  envFallback?: boolean;
  /** Providers added to the module, for the factory to inject (as in `@nestjs/jwt`). */
  extraProviders?: Provider[];
}
