import { inspect } from 'node:util';
import type { FlowApiModuleOptions } from '../api/flow-api-module-options.js';
import type { FlowEventStore } from '../events/flow-event-store.interface.js';
import type {
  FlowCustomerReferenceResolver,
  FlowDeadLetterHandler,
} from './flow-module-options.interface.js';
import { redactSecret } from '../http-signature/secret-shape.js';

/** Webhook settings after defaults are applied. */
export interface ResolvedFlowWebhookOptions {
  /** Built-in receiver path, or undefined when the host writes its own route. */
  readonly path?: string;
  /** The path Cognito signed, when a proxy rewrites it. */
  readonly publicPath?: string;
  /** Accepted clock distance of `Date`, both ways, in seconds. */
  readonly toleranceSeconds: number;
  /** Largest accepted body, in bytes. */
  readonly maxBodyBytes: number;
  /** The host's event store, or undefined for the default in-memory one. */
  readonly store?: FlowEventStore;
  /** Failed attempts before dead-lettering. */
  readonly maxAttempts: number;
  /** How long processed ids are remembered, in seconds. */
  readonly doneTtlSeconds: number;
  /** Claim lease in milliseconds. */
  readonly leaseMs: number;
  /** The host's dead-letter hook, or undefined for the default (log an error). */
  readonly onDeadLetter?: FlowDeadLetterHandler;
}

/** The signature route's settings after defaults are applied. */
export interface ResolvedFlowSignatureEndpointOptions {
  /** Route path relative to the global prefix. */
  readonly path: string;
  /** Reads the current user's reference from the request. */
  readonly customerReference: FlowCustomerReferenceResolver;
  /** The current user's hosted-session route, when enabled. */
  readonly hostedSessionPath?: string;
}

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
}

/**
 * The validated options the module runs on, injected with `@InjectFlowOptions()`. The secrets
 * live in private fields: logging, inspecting, spreading or serialising this object shows only
 * their redacted form (`live_secret_…(76 chars)`).
 */
export class FlowOptions {
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

  /** A redacted plain form, used by `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    return {
      apiSecret: redactSecret(this.#apiSecret),
      previousApiSecrets: this.#previousApiSecrets.map(redactSecret),
      apiKey: this.apiKey,
      previousApiKeys: this.previousApiKeys,
      publishableKey: this.publishableKey,
      templateId: this.templateId,
      apiBaseUrl: this.apiBaseUrl,
      api: this.api,
      webhook: {
        ...this.webhook,
        // A store may hold a client whose options carry a password: name it, never dump it.
        store: this.webhook.store?.constructor.name,
        onDeadLetter: this.webhook.onDeadLetter ? '[Function]' : undefined,
      },
      signatureEndpoint: this.signatureEndpoint && {
        path: this.signatureEndpoint.path,
        hostedSessionPath: this.signatureEndpoint.hostedSessionPath,
      },
    };
  }

  /** What `console.log` and `util.inspect` show. */
  [inspect.custom](depth: number, options: object, inspectFn: typeof inspect = inspect): string {
    return `FlowOptions ${inspectFn(this.toJSON(), options)}`;
  }
}
