import type { CanActivate, ModuleMetadata, Type } from '@nestjs/common';
import type { FlowRouteVersion } from '../routing/route-shape.js';

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
   * Clients send `Content-Type: application/json` (or, from the host's own pages, an `Origin`
   * naming it): other requests are refused as cross-site. Needs `apiKey`. Unset: no route.
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

/** Every key the `signatureEndpoint` block accepts; any other is refused at start-up. */
export const SIGNATURE_ENDPOINT_OPTION_KEYS = [
  'guards',
  'path',
  'customerReference',
  'imports',
  'enabled',
  'version',
  'decorators',
  'hostedSessionPath',
] as const satisfies ReadonlyArray<keyof FlowEnabledSignatureEndpointOptions>;

/** Default route of the signature endpoint, relative to the host's global prefix. */
export const DEFAULT_SIGNATURE_PATH = 'users/current/flow_signature';

/** The signature route's settings after defaults are applied. */
export interface ResolvedFlowSignatureEndpointOptions {
  /** Route path relative to the global prefix. */
  readonly path: string;
  /** Reads the current user's reference from the request. */
  readonly customerReference: FlowCustomerReferenceResolver;
  /** The current user's hosted-session route, when enabled. */
  readonly hostedSessionPath?: string;
}

/** What the signature route reads from the module's resolved options. */
export interface FlowSignatureRouteSettings {
  /** The publishable key the browser passes to `new Flow()`. */
  readonly publishableKey?: string;
  /** The Flow template id. */
  readonly templateId?: string;
  /** The route's settings, when it is enabled. */
  readonly signatureEndpoint?: ResolvedFlowSignatureEndpointOptions;
}
