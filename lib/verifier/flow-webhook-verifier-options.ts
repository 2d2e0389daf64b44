import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { validateSecret } from '../option-checks/validate-keys.js';
import { wholeNumberOption } from '../option-checks/whole-number.js';
import type { FlowHeaderSource } from '../http-signature/request-headers.js';
import { isList } from '../http-signature/is-list.js';

/** A delivery as received, in the shape Node's `IncomingMessage` gives it plus the raw body. */
export interface FlowSignedRequest extends FlowHeaderSource {
  /** HTTP method as received (`POST`). */
  method: string;
  /** Path and query exactly as received (`req.originalUrl` on Express, `req.url` on Fastify). */
  url: string;
  /** The body's raw bytes, before any parsing. Undefined means the platform did not keep them. */
  rawBody: Buffer | undefined;
}

/** Options of {@link verifyFlowWebhook} and {@link createFlowWebhookVerifier}. */
export interface FlowVerifierOptions {
  /** API secrets tried in turn (current first, then those being rotated out). At least one. */
  secrets: readonly string[];
  /** Accepted `keyId`s. Omitted: any non-empty keyId is accepted (the secret still decides). */
  apiKeys?: readonly string[];
  /** Largest accepted distance between `Date` and now, past or future, in seconds. Default 900. */
  toleranceSeconds?: number;
  /** Largest accepted body, in bytes, checked before hashing. Default 1 MiB. */
  maxBodyBytes?: number;
  /** The clock. Default `() => new Date()`. */
  now?: () => Date;
  /** The path Cognito signed when a proxy rewrote it; replaces the received path, the query is kept. */
  publicPath?: string;
}

/** Default `toleranceSeconds`: Cognito's 15 minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 15 * 60;
/** Default `maxBodyBytes`: 1 MiB, Fastify's default body limit. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** True for an absolute path without query, fragment or whitespace: what a `publicPath` may be. */
export function isPublicPath(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('/') && !/[\s?#]/.test(value);
}

/** Options after validation and defaults. */
export interface ResolvedVerifierOptions {
  secrets: readonly string[];
  apiKeys: readonly string[] | undefined;
  toleranceMs: number;
  maxBodyBytes: number;
  now: () => Date;
  publicPath: string | undefined;
}

/** Checks the verifier's options once. @throws FlowConfigurationError naming the bad option (never a secret). */
export function resolveVerifierOptions(options: FlowVerifierOptions): ResolvedVerifierOptions {
  const { secrets, apiKeys, publicPath, now } = options ?? ({} as FlowVerifierOptions);
  if (!isList(secrets) || secrets.length === 0) {
    throw new FlowConfigurationError(
      'missing_secret',
      'secrets must list at least one API secret (the current one first).',
    );
  }
  secrets.forEach((secret, index) => validateSecret(secret, `secrets[${index}]`));
  if (apiKeys !== undefined) {
    if (
      !isList(apiKeys) ||
      apiKeys.length === 0 ||
      apiKeys.some((key) => typeof key !== 'string' || key === '')
    ) {
      throw new FlowConfigurationError(
        'invalid_option',
        'apiKeys must be omitted or list non-empty key ids (live_key_…).',
      );
    }
  }
  if (publicPath !== undefined && !isPublicPath(publicPath)) {
    throw new FlowConfigurationError(
      'invalid_option',
      "publicPath must be the absolute path Cognito posts to, such as '/webhook_receivers/flow'.",
    );
  }
  if (now !== undefined && typeof now !== 'function') {
    throw new FlowConfigurationError('invalid_option', 'now must be a function returning a Date.');
  }
  return {
    secrets: [...secrets],
    apiKeys: apiKeys && [...apiKeys],
    toleranceMs:
      wholeNumberOption(
        options.toleranceSeconds,
        'toleranceSeconds',
        DEFAULT_TOLERANCE_SECONDS,
        1,
      ) * 1000,
    maxBodyBytes: wholeNumberOption(
      options.maxBodyBytes,
      'maxBodyBytes',
      DEFAULT_MAX_BODY_BYTES,
      1,
    ),
    now: now ?? (() => new Date()),
    publicPath,
  };
}
