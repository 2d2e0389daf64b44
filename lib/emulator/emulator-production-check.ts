import { flowKeyShape } from '../http-signature/secret-shape.js';
import { isProductionEnvironment } from '../option-checks/production-environment.js';
import type { FlowEmulatorKeys } from './emulator-keys.js';
import { FlowEmulatorError } from './flow-emulator.error.js';

/**
 * Refuses a production `NODE_ENV` and `live_` keys unless `allowProduction`: an emulator signing
 * with a live secret makes webhooks a live app accepts. Messages never hold a key.
 */
export function refuseProduction(
  given: Partial<FlowEmulatorKeys>,
  nodeEnv: string | undefined,
): void {
  const fix =
    'The emulator is for development and tests. If this really is a test machine, pass ' +
    'allowProduction: true (--allow-production).';
  if (isProductionEnvironment(nodeEnv))
    throw new FlowEmulatorError(
      'production',
      `Refusing to start: NODE_ENV names a production environment. Unset NODE_ENV or set it to ` +
        `development to run the emulator. ${fix}`,
    );
  for (const field of ['apiSecret', 'apiKey', 'publishableKey'] as const) {
    const value = given[field];
    if (typeof value === 'string' && flowKeyShape(value).environment === 'live')
      throw new FlowEmulatorError(
        'production',
        `Refusing to start: keys.${field} is a live key (live_…). Run the emulator with sandbox ` +
          `keys, or none (it generates its own). ${fix}`,
      );
  }
}
