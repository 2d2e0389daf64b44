import { randomBytes } from 'node:crypto';
import { flowId } from '../delivery/flow-event-body.js';
import { EMULATOR_KEY_ENVIRONMENT } from '../option-checks/emulator-settings.js';

/** The keys one emulator runs on: what Flow's dashboard would give a team. */
export interface FlowEmulatorKeys {
  /** Signs customer references and webhooks; never sent to a browser. */
  apiSecret: string;
  /** The `keyId` of signed webhooks and API requests. */
  apiKey: string;
  /** The only publishable key `new Flow(…)` accepts. */
  publishableKey: string;
  /** The only template `new Flow(…)` accepts. */
  templateId: string;
}

/**
 * A throwaway development set: random keys, by default with the `emulator_` environment prefix,
 * valid for this package's checks and for nothing at Cognito. Pass the environment of a secret
 * you keep, so the public keys generated beside it share its prefix (FlowModule requires that).
 */
export function generateEmulatorKeys(
  environment: string = EMULATOR_KEY_ENVIRONMENT,
): FlowEmulatorKeys {
  const env = environment;
  return {
    apiSecret: `${env}_secret_${randomBytes(32).toString('hex')}`,
    apiKey: `${env}_key_${randomBytes(16).toString('hex')}`,
    publishableKey: `${env}_publishable_key_${randomBytes(16).toString('hex')}`,
    templateId: flowId('flwtmp_'),
  };
}
