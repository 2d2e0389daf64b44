import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';

/** Which registration the host used, so a start-up error names the one to change. */
export type FlowRegistration = 'forRoot' | 'forRootAsync';

const FIX: Record<FlowRegistration, string> = {
  forRoot:
    'Set FLOW_API_SECRET in the environment, or pass FlowModule.forRoot({ apiSecret }). A .env file ' +
    'is read only by ConfigModule.forRoot(): with the secret in .env, import ConfigModule.forRoot() ' +
    'in your root module, before FlowModule.',
  forRootAsync:
    'Return apiSecret from the FlowModule.forRootAsync() factory (for example ' +
    "config.get('FLOW_API_SECRET') from ConfigService), or set FLOW_API_SECRET in the environment. " +
    'A .env file is read only by ConfigModule.forRoot(): import it in your root module.',
};

/**
 * Runs the module's option resolution; a missing secret is reported with the fix for the
 * registration actually used (and where `.env` comes in), instead of the generic message.
 */
export function explainMissingSecret<T>(registration: FlowRegistration, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (!(error instanceof FlowConfigurationError) || error.code !== 'missing_secret') throw error;
    const what = /(\S+) is missing or empty/.exec(error.message)?.[1] ?? 'The API secret';
    throw new FlowConfigurationError(
      'missing_secret',
      `${what} is missing or empty. ${FIX[registration]}`,
    );
  }
}
