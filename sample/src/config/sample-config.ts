import { randomBytes } from 'node:crypto';
import { isProductionEnvironment, type FlowModuleOptions } from '../../../lib/index.js';
import { loadOrCreateDevSecret, type DevSecret } from './dev-secret.js';
import { defaultDevSecretFile } from './sample-paths.js';

/** Cognito's script, loaded by the page when the user clicks "Verify my identity". */
export const DEFAULT_FLOW_SCRIPT_URL = 'https://cdn.cognitohq.com/flow.js';

/** Stand-ins that let the page render without a Flow account; the page flags them. */
export const PLACEHOLDERS = {
  publishableKey: 'PLACEHOLDER_set_FLOW_PUBLISHABLE_KEY',
  templateId: 'PLACEHOLDER_set_FLOW_TEMPLATE_ID',
} as const;

/** Everything the sample runs on, read once from the environment at start-up. */
export interface SampleConfig {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to listen on; loopback unless `HOST` says otherwise. */
  host: string;
  /** Set when `FLOW_API_SECRET` is absent and the generated development secret is used. */
  devSecret?: DevSecret;
  /**
   * What the sample gives FlowModule over the environment: the development secret and the
   * placeholders, only when their variables are unset. Every other `FLOW_*` variable is read by
   * FlowModule itself, so its start-up errors name the variable to fix.
   */
  flowValues: Pick<
    FlowModuleOptions,
    'apiSecret' | 'apiKey' | 'apiBaseUrl' | 'publishableKey' | 'templateId'
  >;
  /** Which of the two public values are placeholders. */
  placeholders: { publishableKey: boolean; templateId: boolean };
  /** `FLOW_SCRIPT_URL`. */
  flowScriptUrl: string;
  /**
   * True when Cognito's API can be called: `FLOW_API_KEY` is set, or the emulator (which answers
   * the API too) runs. The sample then offers the hosted-session route for mobile apps and confirms
   * statuses with the API. FlowModule reads the key itself.
   */
  flowApi: boolean;
  /**
   * True when `main.ts` starts the Flow emulator beside the app: outside production, with no
   * `FLOW_*` key nor `FLOW_SCRIPT_URL` set, unless `SAMPLE_FLOW_EMULATOR=off`.
   */
  emulator: boolean;
  /** `SAMPLE_EMULATOR_PORT`: the emulator's port, so commands that name it keep working; 0 picks a free one. */
  emulatorPort: number;
  /** The running emulator's base URL (its API and control routes); set by `startSampleEmulator`. */
  emulatorUrl?: string;
  /** `REDIS_URL`: use the Redis event store when set. */
  redisUrl?: string;
  /** `DATABASE_URL`: use the PostgreSQL event store (transactional) when set; wins over Redis. */
  databaseUrl?: string;
  /** Key of the sample's login tokens: `SAMPLE_JWT_SECRET`, else random per start. */
  jwtSecret: string;
  /** True when `SAMPLE_JWT_SECRET` was not set (tokens die with the process). */
  jwtSecretGenerated: boolean;
}

/** A start-up setting that cannot be used; the message says how to fix it. */
export class SampleConfigError extends Error {
  /** Stable code for callers. */
  readonly code = 'invalid_sample_config';

  constructor(message: string) {
    super(message);
    this.name = 'SampleConfigError';
  }
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function readPort(value: string | undefined): number {
  if (present(value) === undefined) return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SampleConfigError(`PORT must be a whole number from 0 to 65535, got '${value}'.`);
  }
  return port;
}

function readEmulatorPort(value: string | undefined): number {
  if (present(value) === undefined) return 0;
  const port = /^\d+$/.test(value!.trim()) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new SampleConfigError(
      `SAMPLE_EMULATOR_PORT must be a whole number from 1 to 65535, got '${value}'. ` +
        'Unset it to let the emulator pick a free port.',
    );
  }
  return port;
}

// The URL parser has already normalised every IPv4 spelling to dotted decimal.
function isLoopbackHost(hostname: string): boolean {
  return /^(localhost\.?|\[::1\]|127\.\d+\.\d+\.\d+)$/i.test(hostname);
}

function readScriptUrl(value: string | undefined, production: boolean): string {
  const raw = present(value) ?? DEFAULT_FLOW_SCRIPT_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SampleConfigError(
      `FLOW_SCRIPT_URL must be an absolute URL such as ${DEFAULT_FLOW_SCRIPT_URL}.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SampleConfigError('FLOW_SCRIPT_URL must be an http: or https: URL.');
  }
  // A local script (an emulator's flow.js) in production would show real users a fake verification.
  if (production && (url.protocol !== 'https:' || isLoopbackHost(url.hostname))) {
    throw new SampleConfigError(
      `FLOW_SCRIPT_URL must be an https: URL off this machine in production (Cognito's is ` +
        `${DEFAULT_FLOW_SCRIPT_URL}); a local Flow emulator is for development only.`,
    );
  }
  return url.href;
}

/** The variables whose presence means "use real Flow", so the emulator stays off. */
const REAL_FLOW_VARIABLES = [
  'FLOW_API_SECRET',
  'FLOW_API_KEY',
  'FLOW_PUBLISHABLE_KEY',
  'FLOW_TEMPLATE_ID',
  'FLOW_SCRIPT_URL',
] as const;

/**
 * Reads the sample's settings from `env` (the same environment FlowModule reads). Without
 * `FLOW_API_SECRET` a development secret is generated (or reused) in `FLOW_DEV_SECRET_FILE`,
 * default `<repo>/.flow-dev-secret`. The Flow values themselves are validated by FlowModule.
 */
export function loadSampleConfig(env: Record<string, string | undefined>): SampleConfig {
  const givenSecret = present(env.FLOW_API_SECRET);
  const devSecret =
    givenSecret === undefined
      ? loadOrCreateDevSecret(present(env.FLOW_DEV_SECRET_FILE) ?? defaultDevSecretFile())
      : undefined;
  const publishableKey = present(env.FLOW_PUBLISHABLE_KEY);
  const templateId = present(env.FLOW_TEMPLATE_ID);
  const jwtSecret = present(env.SAMPLE_JWT_SECRET);
  const production = isProductionEnvironment(env.NODE_ENV);
  const emulator =
    !production &&
    env.SAMPLE_FLOW_EMULATOR !== 'off' &&
    REAL_FLOW_VARIABLES.every((name) => present(env[name]) === undefined);
  const flowValues: SampleConfig['flowValues'] = {};
  if (devSecret) flowValues.apiSecret = devSecret.value;
  if (publishableKey === undefined) flowValues.publishableKey = PLACEHOLDERS.publishableKey;
  if (templateId === undefined) flowValues.templateId = PLACEHOLDERS.templateId;
  return {
    port: readPort(env.PORT),
    host: present(env.HOST) ?? '127.0.0.1',
    devSecret,
    flowValues,
    placeholders: {
      publishableKey: publishableKey === undefined,
      templateId: templateId === undefined,
    },
    flowScriptUrl: readScriptUrl(env.FLOW_SCRIPT_URL, production),
    emulator,
    emulatorPort: readEmulatorPort(env.SAMPLE_EMULATOR_PORT),
    flowApi: present(env.FLOW_API_KEY) !== undefined,
    redisUrl: present(env.REDIS_URL),
    databaseUrl: present(env.DATABASE_URL),
    jwtSecret: jwtSecret ?? randomBytes(32).toString('base64url'),
    jwtSecretGenerated: jwtSecret === undefined,
  };
}
