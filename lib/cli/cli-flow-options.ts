import { readFileSync } from 'node:fs';
import { readFlowEnvironment } from '../config/flow.config.js';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import type { FlowOptions } from '../config/flow-options.js';
import { resolveFlowOptions } from '../config/resolve-flow-options.js';
import { validateSecret } from '../option-checks/validate-keys.js';
import { CliFailure } from './cli-errors.js';

/** How to give the tool a secret: where every command looks for one. */
export const SECRET_FIX =
  'Set FLOW_API_SECRET (a sandbox secret on development machines) in the environment or in .env ' +
  'in the working folder (--env-file <path> reads another file), or pass --secret-file <path>.';

/** Where the secret of a run comes from, for messages (never the secret itself). */
export type CliSecretSource = { kind: 'file'; path: string } | { kind: 'env' } | { kind: 'none' };

/** The secret of a run and where it came from. */
export interface CliSecret {
  value?: string;
  source: CliSecretSource;
}

/**
 * Reads a secret file. Exactly one trailing `\n` is removed (editors and `echo` add one); any
 * other whitespace stays, so validation refuses it just as the module would.
 */
export function readSecretFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new CliFailure(
      'secret_file_unreadable',
      `Cannot read --secret-file ${path} (${code}). Check the path and its permissions.`,
    );
  }
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** The secret: `--secret-file` when given (an explicit choice beats the ambient environment), else `FLOW_API_SECRET`. */
export function loadCliSecret(
  env: Record<string, string | undefined>,
  secretFile: string | undefined,
): CliSecret {
  if (secretFile !== undefined)
    return { value: readSecretFile(secretFile), source: { kind: 'file', path: secretFile } };
  const fromEnv = readFlowEnvironment(env).apiSecret;
  return fromEnv === undefined
    ? { source: { kind: 'none' } }
    : { value: fromEnv, source: { kind: 'env' } };
}

/** How a secret source is named in messages. */
export function describeSecretSource(source: CliSecretSource): string {
  return source.kind === 'file' ? `the secret file ${source.path}` : 'FLOW_API_SECRET';
}

/**
 * Resolves the `FLOW_*` environment (and the secret file) through the module's own
 * `resolveFlowOptions`, so the tool refuses exactly what `FlowModule` refuses. Configuration
 * errors become {@link CliFailure}s with the module's fix-it message.
 */
export function resolveCliFlowOptions(
  env: Record<string, string | undefined>,
  secret: CliSecret,
  warn: (message: string) => void,
): FlowOptions {
  if (secret.source.kind === 'none') {
    throw new CliFailure(
      'missing_secret',
      `No API secret. ${SECRET_FIX} The secret is never accepted on the command line.`,
    );
  }
  try {
    if (secret.source.kind === 'file')
      validateSecret(secret.value, `The secret file ${secret.source.path}`);
    const given = secret.source.kind === 'file' ? { apiSecret: secret.value } : {};
    return resolveFlowOptions(given, readFlowEnvironment(env), { warn }, env.NODE_ENV);
  } catch (error) {
    if (error instanceof FlowConfigurationError)
      throw new CliFailure(error.code, cliMessage(error));
    throw error;
  }
}

/** A library error's message without the `[nestjs-cognito-flow]` prefix, which adds nothing in a terminal. */
export function cliMessage(error: Error): string {
  return error.message.replace(/^\[nestjs-cognito-flow\] /, '');
}
