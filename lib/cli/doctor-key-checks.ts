import { statSync } from 'node:fs';
import type { FlowEnvironmentValues } from '../config/flow.config.js';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { flowKeyShape, redactSecret } from '../http-signature/secret-shape.js';
import { validatePublicKey, validateSecret } from '../option-checks/validate-keys.js';
import { withArticle } from '../option-checks/with-article.js';
import {
  cliMessage,
  describeSecretSource,
  SECRET_FIX,
  type CliSecret,
} from './cli-flow-options.js';
import { fail, pass, warn, type DoctorCheck } from './doctor-check.js';
import { KNOWN_SECRET } from './known-answers.js';
import { isProductionEnvironment } from '../option-checks/production-environment.js';

function configProblem(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof FlowConfigurationError) return cliMessage(error);
    throw error;
  }
}

/** Presence, shape, publicity and file mode of the current secret, and the shape of previous ones. */
export function secretChecks(secret: CliSecret, env: FlowEnvironmentValues): DoctorCheck[] {
  if (secret.value === undefined || secret.source.kind === 'none') {
    return [fail('secret present', 'no API secret found.', SECRET_FIX.replace(/^Set/, 'set'))];
  }
  const source = describeSecretSource(secret.source);
  const checks = [
    pass(
      'secret present',
      `${source} ${secret.source.kind === 'file' ? 'was read' : 'is set'} (${redactSecret(secret.value)}).`,
    ),
  ];
  const problem = configProblem(() => validateSecret(secret.value, source));
  checks.push(
    problem
      ? fail('secret well-formed', problem)
      : pass('secret well-formed', 'no padding, control characters or misplaced key; long enough.'),
  );
  if (secret.value === KNOWN_SECRET) {
    checks.push(
      fail(
        'secret not public',
        "this is the example secret from Cognito's documentation: anyone can sign with it.",
        'use the API secret of your Flow dashboard.',
      ),
    );
  }
  if (secret.source.kind === 'file' && process.platform !== 'win32') {
    const mode = statSync(secret.source.path).mode & 0o777;
    checks.push(
      mode & 0o077
        ? warn(
            'secret file private',
            `${secret.source.path} is readable by other users (mode ${mode.toString(8)}).`,
            `chmod 600 ${secret.source.path}`,
          )
        : pass('secret file private', `${secret.source.path} has mode ${mode.toString(8)}.`),
    );
  }
  (env.previousApiSecrets ?? []).forEach((previous, index) => {
    const label = `FLOW_PREVIOUS_API_SECRETS[${index}]`;
    const previousProblem = configProblem(() => validateSecret(previous, label));
    checks.push(
      previousProblem
        ? fail('previous secret well-formed', previousProblem)
        : pass('previous secret well-formed', `${label} looks like an API secret.`),
    );
  });
  return checks;
}

/** Live keys belong in production only; sandbox keys do not belong there. */
export function environmentCheck(secret: string, nodeEnv: string | undefined): DoctorCheck {
  const name = 'live key outside production';
  const environment = flowKeyShape(secret).environment;
  const production = isProductionEnvironment(nodeEnv);
  const nodeEnvText = nodeEnv === undefined ? 'NODE_ENV is unset' : `NODE_ENV is '${nodeEnv}'`;
  if (environment === undefined) {
    return warn(
      name,
      "the secret's prefix does not tell its environment.",
      'check in the Flow dashboard that development machines use sandbox keys.',
    );
  }
  if (environment === 'live' && !production) {
    return warn(
      name,
      `a live secret is in use while ${nodeEnvText}.`,
      'use sandbox keys outside production, or set NODE_ENV=production where live keys belong.',
    );
  }
  if (environment !== 'live' && production) {
    return warn(
      name,
      `${withArticle(environment)} secret is in use while ${nodeEnvText}: real users cannot be verified.`,
      'use the live keys in production.',
    );
  }
  return pass(name, `${withArticle(environment)} secret while ${nodeEnvText}.`);
}

/** Every key with an environment prefix must share the secret's environment. */
export function consistencyCheck(
  secret: string | undefined,
  env: FlowEnvironmentValues,
): DoctorCheck {
  const keys: Array<[string, string | undefined]> = [
    ['the API secret', secret],
    ['FLOW_API_KEY', env.apiKey],
    ['FLOW_PUBLISHABLE_KEY', env.publishableKey],
    ...(env.previousApiSecrets ?? []).map((_, i): [string, string] => [
      `FLOW_PREVIOUS_API_SECRETS[${i}]`,
      env.previousApiSecrets![i],
    ]),
    ...(env.previousApiKeys ?? []).map((key, i): [string, string] => [
      `FLOW_PREVIOUS_API_KEYS[${i}]`,
      key,
    ]),
  ];
  const known = keys
    .map(
      ([label, value]) =>
        [label, value === undefined ? undefined : flowKeyShape(value).environment] as const,
    )
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
  const environments = new Set(known.map(([, environment]) => environment));
  if (environments.size > 1) {
    const list = known.map(([label, environment]) => `${label} is ${environment}`).join(', ');
    return fail(
      'key environments consistent',
      `keys of different environments: ${list}.`,
      'use keys of one environment (all sandbox in development, all live in production).',
    );
  }
  const [only] = environments;
  return pass(
    'key environments consistent',
    only ? `every prefixed key is ${only}.` : 'no key tells its environment.',
  );
}

/** The API key id, the publishable key and the template id: present and of the right role. */
export function publicKeyChecks(env: FlowEnvironmentValues): DoctorCheck[] {
  const entries = [
    [
      'API key',
      'FLOW_API_KEY',
      env.apiKey,
      'api_key',
      'without it, a webhook is accepted whatever its keyId. Set it to the API key id (live_key_…) of the Flow dashboard.',
    ],
    [
      'publishable key',
      'FLOW_PUBLISHABLE_KEY',
      env.publishableKey,
      'publishable_key',
      'the browser needs it for new Flow(), and the signature endpoint refuses to start without it.',
    ],
    [
      'template id',
      'FLOW_TEMPLATE_ID',
      env.templateId,
      'template',
      'the browser needs it for new Flow(), and the signature endpoint refuses to start without it.',
    ],
  ] as const;
  return entries.map(([name, variable, value, role, why]) => {
    if (value === undefined)
      return warn(`${name} present`, `${variable} is not set.`, `set ${variable}: ${why}`);
    const problem = configProblem(() => validatePublicKey(value, variable, role));
    if (problem) return fail(`${name} present`, problem);
    if (role === 'template' && !value.startsWith('flwtmp_')) {
      return warn(
        `${name} present`,
        `${variable} does not start with flwtmp_.`,
        'copy the template id from the Flow dashboard.',
      );
    }
    return pass(`${name} present`, `${variable} is set.`);
  });
}
