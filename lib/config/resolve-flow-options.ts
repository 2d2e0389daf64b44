import { Logger } from '@nestjs/common';
import { checkFlowApiSettings } from '../api/flow-api-module-options.js';
import type { FlowKeyShape } from '../http-signature/secret-shape.js';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { validatePublicKey, validateSecret } from '../option-checks/validate-keys.js';
import { withArticle } from '../option-checks/with-article.js';
import { isProductionEnvironment } from '../option-checks/production-environment.js';
import { checkProductionSettings } from '../option-checks/production-settings.js';
import { resolveSignatureEndpointOptions } from '../signature-endpoint/resolve-signature-endpoint-options.js';
import { resolveTelemetryOption } from '../telemetry/telemetry-options.js';
import { resolveWebhookOptions } from '../webhook/webhook-options.js';
import type { FlowEnvironmentValues } from './flow.config.js';
import type { FlowModuleOptions } from './flow-module-options.interface.js';
import { FlowOptions } from './flow-options.js';

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
    `The API secret is ${withArticle(secret.environment)} key but ${label} is ${withArticle(other.environment)} key. ` +
      'Use keys of one environment (all sandbox in development, all live in production).',
  );
}

/**
 * Merges the host's options over the `FLOW_*` environment field by field, checks the keys every
 * part shares, and composes each part's own check (`signatureEndpoint`, `webhook`, `api`). Throws {@link FlowConfigurationError} with a fix-it message, never
 * containing a secret. Under a production `NODE_ENV` refuses what only development may use
 * (`checkProductionSettings`); outside it, warns when a live secret runs.
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

  const signatureEndpoint = resolveSignatureEndpointOptions(given.signatureEndpoint, {
    publishableKey,
    templateId,
  });
  const apiBaseUrl = pick('apiBaseUrl');
  checkFlowApiSettings({
    apiKey,
    apiBaseUrl,
    api: given.api,
    hostedSessionPath: signatureEndpoint?.hostedSessionPath,
  });

  checkProductionSettings(
    {
      secrets: [
        [apiSecretLabel, apiSecret],
        ...previousApiSecrets.map((secret, i) => [`previousApiSecrets[${i}]`, secret] as const),
      ],
      keys: [
        ['apiKey', apiKey],
        ['publishableKey', publishableKey],
        ...previousApiKeys.map((key, i) => [`previousApiKeys[${i}]`, key] as const),
      ],
      apiBaseUrl,
    },
    nodeEnv,
  );

  if (secretShape.environment === 'live' && !isProductionEnvironment(nodeEnv)) {
    logger.warn(
      `A live API secret is in use while NODE_ENV is ${nodeEnv === undefined ? 'unset' : `'${nodeEnv}'`}. ` +
        'Use sandbox keys outside production.',
    );
  }

  return new FlowOptions({
    apiSecret,
    previousApiSecrets,
    apiKey,
    previousApiKeys,
    publishableKey,
    templateId,
    apiBaseUrl,
    api: given.api,
    webhook: resolveWebhookOptions(given.webhook, logger),
    signatureEndpoint,
    telemetry: resolveTelemetryOption(given.telemetry),
  });
}
