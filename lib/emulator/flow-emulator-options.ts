import { checkReceiverUrl, isLoopbackHostname } from '../delivery/loopback-url.js';
import { validatePublicKey, validateSecret } from '../option-checks/validate-keys.js';
import { wholeNumberProblem } from '../option-checks/whole-number.js';
import { refuseProduction } from './emulator-production-check.js';
import { flowKeyShape } from '../http-signature/secret-shape.js';
import { generateEmulatorKeys, type FlowEmulatorKeys } from './emulator-keys.js';
import { FlowEmulatorError } from './flow-emulator.error.js';
import type { FlowApiSessionUser } from '../api/flow-api-session.js';
import { DEFAULT_EMULATOR_IDENTITY, type FlowEmulatorIdentity } from './emulator-identity.js';
import { resolveAllowedOrigins } from './allowed-origins.js';
import type { FlowEmulatorDelivery } from './webhook-deliveries.js';

/** Options of {@link startFlowEmulator}. Every field is optional. */
export interface FlowEmulatorOptions {
  /** Keys to run on; each one missing is generated (public keys in the secret's environment). */
  keys?: Partial<FlowEmulatorKeys>;
  /** TCP port; default 0, a free one. */
  port?: number;
  /** Loopback address to listen on; default `127.0.0.1`. */
  host?: string;
  /** Where webhooks go; without it they are recorded as `not_sent`. Loopback only unless `allowRemote`. */
  webhookUrl?: string;
  /** Allows a webhook URL on another host (a receiver of yours running with test keys). */
  allowRemote?: boolean;
  /** The template's steps, in order. Default `accept_tos`, `verify_sms`, `kyc_check`. */
  steps?: readonly string[];
  /** Pauses before each retry of a non-2xx delivery. Default 1, 2, 4, 8, 16 and 32 s (7 tries). */
  retryDelaysMs?: readonly number[];
  /** How long one delivery waits for an answer, in ms. Default 10000. */
  deliveryTimeoutMs?: number;
  /** Called after each delivery attempt (the CLI prints one line per attempt). */
  onAttempt?: (delivery: FlowEmulatorDelivery) => void;
  /**
   * The test identity each customer reference "gives" as the steps pass (`user` of its sessions),
   * field by field over a default fake identity. E.g. `{ 'user-1': { id_number: null } }`.
   */
  users?: Record<string, FlowEmulatorIdentity>;
  /** `Cognito-Version` values the API accepts; any other, or none, is refused. Default `['2020-08-14']`. */
  cognitoVersions?: readonly string[];
  /** Sessions flow.js opens for unsigned references before it refuses them, as Cognito does. Default 100. */
  unsignedSessionLimit?: number;
  /**
   * The dashboard's domain allow-list: page origins flow.js may run on (`https://app.example.com`;
   * `http://localhost:3000` and other loopback origins only with `development`). Default: any.
   */
  allowedOrigins?: readonly string[];
  /** Allows loopback `http:` origins in `allowedOrigins`, as a development integration. */
  development?: boolean;
  /**
   * Starts even under a production `NODE_ENV` or with `live_` keys. Off by default: the emulator
   * signs webhooks your app accepts and shows a fake verification to whoever opens it.
   */
  allowProduction?: boolean;
}

/** Options after checks and defaults. */
export interface ResolvedFlowEmulatorOptions {
  keys: FlowEmulatorKeys;
  port: number;
  host: string;
  webhookUrl?: URL;
  allowRemote: boolean;
  steps: readonly string[];
  retryDelaysMs: readonly number[];
  deliveryTimeoutMs: number;
  onAttempt?: (delivery: FlowEmulatorDelivery) => void;
  /** `environment` of webhook bodies: `live` for a live secret, else `sandbox`. */
  environment: string;
  /** The test identity of a customer reference. */
  identity(customerReference: string): FlowApiSessionUser;
  cognitoVersions: readonly string[];
  unsignedSessionLimit: number;
  /** Exact origins allowed, or undefined for any. */
  allowedOrigins?: ReadonlySet<string>;
}

/** Default template steps. */
export const DEFAULT_EMULATOR_STEPS = ['accept_tos', 'verify_sms', 'kyc_check'] as const;
/** Default retry pauses: Cognito's backoff, in seconds instead of days. */
export const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000, 32000] as const;

function invalid(message: string): never {
  throw new FlowEmulatorError('invalid_option', message);
}

/** Checks a webhook URL by the receiver-URL rule: http(s), no credentials, loopback unless `allowRemote`. */
export function resolveWebhookUrl(raw: string, allowRemote: boolean): URL {
  const { url, problem } = checkReceiverUrl(raw, allowRemote);
  if (problem === undefined) return url;
  if (problem === 'not_absolute')
    invalid(
      "webhookUrl must be an absolute URL such as 'http://127.0.0.1:3000/webhook_receivers/flow'.",
    );
  if (problem === 'not_http') invalid('webhookUrl must be an http: or https: URL.');
  if (problem === 'credentials') invalid('webhookUrl must not contain a user name or password.');
  throw new FlowEmulatorError(
    'remote_webhook_url',
    `Refusing to send webhooks to ${url?.host}: it is not a loopback address. Deliveries signed ` +
      "with your API secret are as good as Cognito's own. Pass allowRemote (--allow-remote) if " +
      'that receiver is yours and runs with test keys.',
  );
}

/** True for an array whose every item passes `test` (options may come from untyped callers). */
function listOf(value: unknown, test: (item: unknown) => boolean): boolean {
  return Array.isArray(value) && value.every((item) => test(item));
}

function keysFrom(given: Partial<FlowEmulatorKeys> = {}): FlowEmulatorKeys {
  if (given.apiSecret !== undefined) validateSecret(given.apiSecret, 'keys.apiSecret');
  validatePublicKey(given.apiKey, 'keys.apiKey', 'api_key');
  validatePublicKey(given.publishableKey, 'keys.publishableKey', 'publishable_key');
  validatePublicKey(given.templateId, 'keys.templateId', 'template');
  const environment =
    given.apiSecret === undefined ? undefined : flowKeyShape(given.apiSecret).environment;
  const generated = generateEmulatorKeys(environment);
  return {
    apiSecret: given.apiSecret ?? generated.apiSecret,
    apiKey: given.apiKey ?? generated.apiKey,
    publishableKey: given.publishableKey ?? generated.publishableKey,
    templateId: given.templateId ?? generated.templateId,
  };
}

/** Checks the options once; @throws FlowEmulatorError or FlowConfigurationError naming the option. */
export function resolveFlowEmulatorOptions(
  options: FlowEmulatorOptions = {},
  nodeEnv: string | undefined = process.env.NODE_ENV,
): ResolvedFlowEmulatorOptions {
  const port = options.port ?? 0;
  const portProblem = wholeNumberProblem('port', port, 0, 65535);
  if (portProblem !== undefined) invalid(portProblem);
  const host = options.host ?? '127.0.0.1';
  const bracketed = host.includes(':') ? `[${host}]` : host;
  if (!isLoopbackHostname(bracketed))
    invalid(
      'host must be a loopback address (127.0.0.1, ::1 or localhost): the emulator is for this machine only.',
    );
  const steps: readonly string[] = options.steps ?? DEFAULT_EMULATOR_STEPS;
  if (!listOf(steps, (step) => typeof step === 'string' && /^[a-z][a-z0-9_]*$/.test(step)))
    invalid("steps must be lower-case words such as 'accept_tos'.");
  const retryDelaysMs: readonly number[] = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  if (!listOf(retryDelaysMs, (ms) => wholeNumberProblem('retryDelaysMs', ms, 0) === undefined))
    invalid('retryDelaysMs must list whole numbers of milliseconds (at least 0).');
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 10_000;
  const timeoutProblem = wholeNumberProblem('deliveryTimeoutMs', deliveryTimeoutMs, 1);
  if (timeoutProblem !== undefined) invalid(timeoutProblem);
  const allowRemote = options.allowRemote === true;
  const keys = keysFrom(options.keys);
  if (options.allowProduction !== true) refuseProduction(options.keys ?? {}, nodeEnv);
  const users = options.users ?? {};
  if (users === null || typeof users !== 'object' || Array.isArray(users))
    invalid("users must map customer references to identities, e.g. { 'user-1': { … } }.");
  const cognitoVersions: readonly string[] = options.cognitoVersions ?? ['2020-08-14'];
  if (!listOf(cognitoVersions, (v) => typeof v === 'string' && /^[\x21-\x7e]+$/.test(v)))
    invalid("cognitoVersions must list version strings such as '2020-08-14'.");
  const unsignedSessionLimit = options.unsignedSessionLimit ?? 100;
  if (!Number.isInteger(unsignedSessionLimit) || unsignedSessionLimit < 0)
    invalid('unsignedSessionLimit must be a whole number of at least 0.');
  const allowedOrigins =
    options.allowedOrigins === undefined
      ? undefined
      : resolveAllowedOrigins(options.allowedOrigins, options.development === true, invalid);
  return {
    keys,
    port,
    host,
    webhookUrl:
      options.webhookUrl === undefined
        ? undefined
        : resolveWebhookUrl(options.webhookUrl, allowRemote),
    allowRemote,
    steps: [...steps],
    retryDelaysMs: [...retryDelaysMs],
    deliveryTimeoutMs,
    onAttempt: options.onAttempt,
    environment: flowKeyShape(keys.apiSecret).environment === 'live' ? 'live' : 'sandbox',
    identity: (reference) => ({
      ...structuredClone(DEFAULT_EMULATOR_IDENTITY),
      ...structuredClone(Object.hasOwn(users, reference) ? users[reference] : {}),
    }),
    cognitoVersions: [...cognitoVersions],
    unsignedSessionLimit,
    allowedOrigins,
  };
}
