import { FLOW_ENVIRONMENT_VARIABLES } from '../config/flow.config.js';
import type { CliEnvFile } from './cli-env-file.js';
import type { CliSecret } from './cli-flow-options.js';

/** The variables whose source `doctor` reports: the module's `FLOW_*` ones, then `NODE_ENV`. */
const REPORTED = [...Object.values(FLOW_ENVIRONMENT_VARIABLES), 'NODE_ENV'];

/** What a variable falls back to when nothing sets it. */
const DEFAULTS: Record<string, string> = {
  FLOW_API_BASE_URL: "default (Cognito's live or sandbox host, from FLOW_API_KEY's prefix)",
  FLOW_PREVIOUS_API_SECRETS: 'default (none)',
  FLOW_PREVIOUS_API_KEYS: 'default (none)',
};

function describeEnvFile(envFile: CliEnvFile | undefined): string {
  if (envFile === undefined || envFile.state === 'skipped') return 'no file read (--no-env-file)';
  if (envFile.state === 'absent') return `none (no ${envFile.path}; that is fine)`;
  return `${envFile.path} (${envFile.supplied.size} variable(s) used, the environment wins)`;
}

function sourceOf(
  name: string,
  env: Record<string, string | undefined>,
  envFile: CliEnvFile | undefined,
): string {
  const value = env[name];
  if (value === undefined) return DEFAULTS[name] ?? 'unset';
  const where = envFile?.supplied.has(name) ? `.env file ${envFile.path}` : 'environment';
  // An empty variable counts as unset, and one set in the environment hides the file's value.
  return value === '' ? `${where} (empty, so unset)` : where;
}

/**
 * The lines `doctor` prints first: which `.env` file was read, then where each setting came from
 * (environment, `.env` file, flag, default). Names and paths only, never a value.
 */
export function describeSettingSources(
  env: Record<string, string | undefined>,
  envFile: CliEnvFile | undefined,
  secret: CliSecret,
): string[] {
  const lines = REPORTED.map((name) => {
    if (name === FLOW_ENVIRONMENT_VARIABLES.apiSecret && secret.source.kind === 'file') {
      const ignored =
        env[name] === undefined
          ? ''
          : `; the value from ${sourceOf(name, env, envFile)} is ignored`;
      return `  ${name}: flag --secret-file ${secret.source.path}${ignored}`;
    }
    return `  ${name}: ${sourceOf(name, env, envFile)}`;
  });
  return [
    'Where each setting comes from (values are never printed):',
    `  env file: ${describeEnvFile(envFile)}`,
    ...lines,
    '',
  ];
}
