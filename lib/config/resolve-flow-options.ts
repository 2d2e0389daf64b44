import { Logger } from '@nestjs/common';
import { checkFlowApiSettings } from '../api/flow-api-module-options.js';
import type { FlowEnvironmentValues } from './flow.config.js';
import { checkDoneTtlWindow } from './done-ttl-window.js';
import { FlowConfigurationError } from './flow-configuration.error.js';
import type { FlowModuleOptions, FlowWebhookOptions } from './flow-module-options.interface.js';
import { FlowOptions, type ResolvedFlowWebhookOptions } from './flow-options.js';
import type { FlowKeyShape } from '../http-signature/secret-shape.js';
import { validatePublicKey, validateSecret } from './validate-keys.js';
import { defaultCustomerReference } from '../signature-endpoint/default-customer-reference.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_TOLERANCE_SECONDS,
  isPublicPath,
} from '../verifier/flow-webhook-verifier-options.js';

/** Default route of the signature endpoint, relative to the host's global prefix. */
export const DEFAULT_SIGNATURE_PATH = 'users/current/flow_signature';

/** Defaults of the webhook block. */
export const WEBHOOK_DEFAULTS = {
  toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  maxAttempts: 5,
  doneTtlSeconds: 7 * 24 * 60 * 60,
  leaseMs: 30_000,
} as const;

function positiveInteger(value: unknown, label: string, fallback: number, minimum = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new FlowConfigurationError(
      'invalid_option',
      `${label} must be a whole number of at least ${minimum}, got ${typeof value === 'number' ? value : typeof value}.`,
    );
  }
  return value;
}

function routePath(value: unknown, label: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || /[\s?#]/.test(value)) {
    throw new FlowConfigurationError(
      'invalid_option',
      `${label} must be a path such as 'webhook_receivers/flow'.`,
    );
  }
  return value;
}

function resolveWebhook(webhook: FlowWebhookOptions = {}): ResolvedFlowWebhookOptions {
  const publicPath = webhook.publicPath;
  if (publicPath !== undefined && !isPublicPath(publicPath)) {
    throw new FlowConfigurationError(
      'invalid_option',
      "webhook.publicPath must be the absolute path Cognito posts to, such as '/webhook_receivers/flow'.",
    );
  }
  if (webhook.onDeadLetter !== undefined && typeof webhook.onDeadLetter !== 'function') {
    throw new FlowConfigurationError('invalid_option', 'webhook.onDeadLetter must be a function.');
  }
  return {
    path: routePath(webhook.path, 'webhook.path'),
    publicPath,
    toleranceSeconds: positiveInteger(
      webhook.toleranceSeconds,
      'webhook.toleranceSeconds',
      WEBHOOK_DEFAULTS.toleranceSeconds,
    ),
    maxBodyBytes: positiveInteger(
      webhook.maxBodyBytes,
      'webhook.maxBodyBytes',
      WEBHOOK_DEFAULTS.maxBodyBytes,
    ),
    store: webhook.store,
    maxAttempts: positiveInteger(
      webhook.maxAttempts,
      'webhook.maxAttempts',
      WEBHOOK_DEFAULTS.maxAttempts,
    ),
    doneTtlSeconds: positiveInteger(
      webhook.doneTtlSeconds,
      'webhook.doneTtlSeconds',
      WEBHOOK_DEFAULTS.doneTtlSeconds,
      60,
    ),
    leaseMs: positiveInteger(webhook.leaseMs, 'webhook.leaseMs', WEBHOOK_DEFAULTS.leaseMs, 1000),
    onDeadLetter: webhook.onDeadLetter,
  };
}

function stringList(value: unknown, label: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new FlowConfigurationError('invalid_option', `${label} must be an array of strings.`);
  }
  return value;
}

function checkEnvironment(
  secret: FlowKeyShape,
  other: FlowKeyShape | undefined,
  label: string,
): void {
  if (!secret.environment || !other?.environment || secret.environment === other.environment)
    return;
  throw new FlowConfigurationError(
    'environment_mismatch',
    `The API secret is a ${secret.environment} key but ${label} is a ${other.environment} key. ` +
      'Use keys of one environment (all sandbox in development, all live in production).',
  );
}

/**
 * Merges the host's options over the `FLOW_*` environment field by field, validates the result
 * and applies defaults. Throws {@link FlowConfigurationError} with a fix-it message, never
 * containing a secret. Warns when a live secret runs outside production.
 */
export function resolveFlowOptions(
  given: FlowModuleOptions,
  env: FlowEnvironmentValues = {},
  logger: Pick<Logger, 'warn'> = new Logger('FlowModule'),
  nodeEnv: string | undefined = process.env.NODE_ENV,
): FlowOptions {
  const pick = <K extends keyof FlowEnvironmentValues>(key: K): FlowModuleOptions[K] =>
    given[key] !== undefined ? given[key] : env[key];

  const apiSecretLabel = given.apiSecret !== undefined ? 'apiSecret' : 'FLOW_API_SECRET';
  const secretShape = validateSecret(pick('apiSecret'), apiSecretLabel);
  const apiSecret = pick('apiSecret') as string;

  const previousApiSecrets = stringList(pick('previousApiSecrets'), 'previousApiSecrets');
  previousApiSecrets.forEach((secret, index) => {
    const shape = validateSecret(secret, `previousApiSecrets[${index}]`);
    checkEnvironment(secretShape, shape, `previousApiSecrets[${index}]`);
  });

  const apiKey = pick('apiKey');
  checkEnvironment(secretShape, validatePublicKey(apiKey, 'apiKey', 'api_key'), 'apiKey');
  const previousApiKeys = stringList(pick('previousApiKeys'), 'previousApiKeys');
  previousApiKeys.forEach((key, index) =>
    validatePublicKey(key, `previousApiKeys[${index}]`, 'api_key'),
  );
  if (previousApiKeys.length > 0 && apiKey === undefined) {
    throw new FlowConfigurationError(
      'invalid_option',
      'previousApiKeys is set without apiKey. Set apiKey (FLOW_API_KEY) to the current key id too.',
    );
  }

  const publishableKey = pick('publishableKey');
  checkEnvironment(
    secretShape,
    validatePublicKey(publishableKey, 'publishableKey', 'publishable_key'),
    'publishableKey',
  );
  const templateId = pick('templateId');
  validatePublicKey(templateId, 'templateId', 'template');

  const endpoint = given.signatureEndpoint;
  const endpointEnabled = endpoint !== undefined && endpoint.enabled !== false;
  if (endpointEnabled && (publishableKey === undefined || templateId === undefined)) {
    throw new FlowConfigurationError(
      'missing_public_config',
      'The signature endpoint answers with the publishable key and template id the browser needs: ' +
        'set publishableKey and templateId (FLOW_PUBLISHABLE_KEY, FLOW_TEMPLATE_ID).',
    );
  }
  if (
    endpointEnabled &&
    endpoint.customerReference !== undefined &&
    typeof endpoint.customerReference !== 'function'
  ) {
    throw new FlowConfigurationError(
      'invalid_option',
      'signatureEndpoint.customerReference must be a function.',
    );
  }

  const apiBaseUrl = pick('apiBaseUrl');
  const hostedSessionPath = endpointEnabled
    ? routePath(endpoint.hostedSessionPath, 'signatureEndpoint.hostedSessionPath')
    : undefined;
  checkFlowApiSettings({ apiKey, apiBaseUrl, api: given.api, hostedSessionPath });

  if (secretShape.environment === 'live' && nodeEnv !== 'production') {
    logger.warn(
      `A live API secret is in use while NODE_ENV is ${nodeEnv === undefined ? 'unset' : `'${nodeEnv}'`}. ` +
        'Use sandbox keys outside production.',
    );
  }

  const webhook = resolveWebhook(given.webhook);
  checkDoneTtlWindow(webhook, logger);

  return new FlowOptions({
    apiSecret,
    previousApiSecrets,
    apiKey,
    previousApiKeys,
    publishableKey,
    templateId,
    apiBaseUrl,
    api: given.api,
    webhook,
    signatureEndpoint: endpointEnabled
      ? {
          path: routePath(endpoint.path, 'signatureEndpoint.path') ?? DEFAULT_SIGNATURE_PATH,
          customerReference: endpoint.customerReference ?? defaultCustomerReference,
          hostedSessionPath,
        }
      : undefined,
  });
}
