import { isLoopbackHostname } from '../delivery/loopback-url.js';
import { flowKeyShape } from '../http-signature/secret-shape.js';
import { COGNITO_EXAMPLE_SECRET } from './documented-example-secret.js';
import { FlowConfigurationError } from './flow-configuration.error.js';
import { isProductionEnvironment } from './production-environment.js';
import { EMULATOR_KEY_ENVIRONMENT, isRunningEmulatorOrigin } from './emulator-settings.js';

/** The settings checked under production, each with the label messages name it by. */
export interface ProductionSettings {
  /** `[label, secret]` for the API secret and each previous one. */
  secrets: ReadonlyArray<readonly [string, string]>;
  /** `[label, key]` for the API key, previous keys and the publishable key. */
  keys: ReadonlyArray<readonly [string, string | undefined]>;
  apiBaseUrl?: string;
}

function refuse(message: string): never {
  throw new FlowConfigurationError(
    'production_setting',
    `${message} (NODE_ENV names a production environment.)`,
  );
}

/**
 * Under a production `NODE_ENV` (see {@link isProductionEnvironment}): no `http:` API base URL
 * off loopback (signed requests and forged answers in clear text), no emulator key or running
 * emulator's URL, and not Cognito's public example secret. Messages name the setting, never a key.
 * @throws FlowConfigurationError `production_setting`
 */
export function checkProductionSettings(
  settings: ProductionSettings,
  nodeEnv: string | undefined,
): void {
  if (!isProductionEnvironment(nodeEnv)) return;
  for (const [label, secret] of settings.secrets) {
    if (secret === COGNITO_EXAMPLE_SECRET)
      refuse(
        `${label} is the example secret from Cognito's documentation: anyone can sign with it. ` +
          'Set the API secret of your Flow dashboard.',
      );
  }
  for (const [label, key] of [...settings.secrets, ...settings.keys]) {
    if (key !== undefined && flowKeyShape(key).environment === EMULATOR_KEY_ENVIRONMENT)
      refuse(
        `${label} is a key the Flow emulator generated (emulator_…): Cognito refuses it. ` +
          'Set the live keys of your Flow dashboard.',
      );
  }
  if (settings.apiBaseUrl === undefined) return;
  // checkFlowApiSettings has already refused a URL that does not parse.
  const url = new URL(settings.apiBaseUrl);
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname))
    refuse(
      'apiBaseUrl (FLOW_API_BASE_URL) is a plain http: URL to another machine: signed requests ' +
        'and their answers would cross the network unencrypted. Use https:, or leave it unset for Cognito.',
    );
  if (isRunningEmulatorOrigin(url.origin))
    refuse(
      "apiBaseUrl (FLOW_API_BASE_URL) is the Flow emulator's: its answers are made up. Leave it " +
        'unset for Cognito, or run the emulator outside production.',
    );
}
