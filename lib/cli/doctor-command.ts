import { readFlowEnvironment } from '../config/flow.config.js';
import type { CliCommand } from './cli-context.js';
import { CliFailure, EXIT_FAILURE, EXIT_OK } from './cli-errors.js';
import { loadCliSecret, resolveCliFlowOptions, type CliSecret } from './cli-flow-options.js';
import { fail, formatDoctorCheck, pass, type DoctorCheck } from './doctor-check.js';
import {
  consistencyCheck,
  environmentCheck,
  publicKeyChecks,
  secretChecks,
} from './doctor-key-checks.js';
import { signingKnownAnswerCheck, webhookKnownAnswerCheck } from './doctor-known-answers.js';
import { onlineCheck } from './doctor-online-check.js';
import { describeSettingSources } from './doctor-sources.js';
import { parseCommandLine, stringOption, type CliCommandSpec } from './parse-command-line.js';

/** The `doctor` command's options. */
export const DOCTOR_SPEC: CliCommandSpec = {
  name: 'doctor',
  options: { 'secret-file': { type: 'string' }, online: { type: 'boolean' } },
  positionals: [],
};

/** `cognito-flow doctor --help`. */
export const DOCTOR_HELP = `Usage: cognito-flow doctor [--secret-file <path>] [--online]

Checks the FLOW_* environment against Cognito's security checklist and prints one line per check,
PASS, WARN or FAIL, with a fix. It never prints a secret (only its prefix and length). First it
says where each setting comes from: the environment, the .env file, a flag or a default.

Checks: the secret is present, well-formed and not Cognito's public example; a secret file is not
readable by other users; no live key outside production (NODE_ENV) and no sandbox key in it; all
keys are of one environment; FLOW_API_KEY, FLOW_PUBLISHABLE_KEY and FLOW_TEMPLATE_ID are present
and of the right kind; FlowModule would accept the configuration; this build reproduces Cognito's
documented signature and example webhook. With --online, one signed request to Cognito's API
(FLOW_API_BASE_URL, else the key prefix's host) tells whether it accepts the key and secret.

Options:
  --secret-file <path>  read the API secret from this file instead of FLOW_API_SECRET
  --online              also make one signed API request (GET of an unknown session id)
  --env-file <path>     read settings from this file instead of ./.env; --no-env-file: none
  -h, --help            show this help

Exit status: 0 no check failed (warnings allowed); 1 at least one check failed; 2 bad arguments.`;

function moduleCheck(env: Record<string, string | undefined>, secret: CliSecret): DoctorCheck {
  const name = 'module accepts configuration';
  try {
    resolveCliFlowOptions(env, secret, () => undefined);
    return pass(name, 'FlowModule.forRoot() would start with this environment.');
  } catch (error) {
    if (error instanceof CliFailure) return fail(name, error.message);
    throw error;
  }
}

/** Runs every check, in the order they are printed. */
export function runDoctorChecks(
  env: Record<string, string | undefined>,
  secret: CliSecret,
): DoctorCheck[] {
  const values = readFlowEnvironment(env);
  const checks = [...secretChecks(secret, values)];
  if (secret.value !== undefined) checks.push(environmentCheck(secret.value, env.NODE_ENV));
  checks.push(consistencyCheck(secret.value, values), ...publicKeyChecks(values));
  if (secret.value !== undefined) checks.push(moduleCheck(env, secret));
  checks.push(signingKnownAnswerCheck(), webhookKnownAnswerCheck());
  return checks;
}

/** `cognito-flow doctor`: prints one line per check; exits 1 when any check fails. */
export const doctorCommand: CliCommand = async (args, context) => {
  const parsed = parseCommandLine(args, DOCTOR_SPEC);
  if (parsed.help) {
    context.out(DOCTOR_HELP);
    return EXIT_OK;
  }
  const secret = loadCliSecret(context.env, stringOption(parsed, 'secret-file'));
  const checks = runDoctorChecks(context.env, secret);
  if (parsed.values.online === true) checks.push(await onlineCheck(context.env, secret));
  for (const line of describeSettingSources(context.env, context.envFile, secret))
    context.out(line);
  for (const check of checks) context.out(formatDoctorCheck(check));
  const count = (status: DoctorCheck['status']) =>
    checks.filter((check) => check.status === status).length;
  const failed = count('fail');
  context.out(`\n${count('pass')} passed, ${count('warn')} warning(s), ${failed} failed.`);
  return failed > 0 ? EXIT_FAILURE : EXIT_OK;
};
