import { createFlowRequestSigner } from '../http-signature/sign-flow-request.js';
import { validatePublicKey, validateSecret } from '../option-checks/validate-keys.js';
import { API_NUMBER_RANGES, apiNumberProblem } from './api-number-ranges.js';
import { resolveFlowApiBase } from './flow-api-base-url.js';
import {
  DEFAULT_API_TIMEOUT_MS,
  DEFAULT_COGNITO_VERSION,
  type FlowApiClientOptions,
} from './flow-api-client-options.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import { FLOW_API_OBSERVER, type ObservedApiOptions } from './flow-api-observer.js';
import type { FlowApiTransport } from './send-signed-request.js';

function whole(
  value: number | undefined,
  option: keyof typeof API_NUMBER_RANGES,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const problem = apiNumberProblem(option, value);
  if (problem !== undefined) throw new TypeError(problem);
  return value;
}

/**
 * An optional header-safe value (template id, API version): printable ASCII without spaces.
 * @throws TypeError naming the option.
 */
export function printableOption(value: unknown, label: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) {
    throw new TypeError(`${label} must be a non-empty string of printable ASCII without spaces.`);
  }
  return value;
}

/**
 * Checks a client's options and prepares what each request needs: the signer, the base URL, the
 * timeout, the version and the retry policy.
 * @throws FlowConfigurationError for an unusable secret or a secret in `apiKey`; TypeError for
 *   another unusable option (never naming the secret's value, nor a base URL's credentials).
 */
export function createFlowApiTransport(options: FlowApiClientOptions): FlowApiTransport {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('new FlowApiClient() needs { apiKey, apiSecret }.');
  }
  validateSecret(options.apiSecret, 'apiSecret');
  if (options.apiKey === undefined) {
    throw new TypeError('apiKey is missing: pass the API key (FLOW_API_KEY), e.g. sandbox_key_….');
  }
  validatePublicKey(options.apiKey, 'apiKey', 'api_key');
  const policy = DEFAULT_RETRY_POLICY;
  return {
    sign: createFlowRequestSigner({ secret: options.apiSecret, keyId: options.apiKey }),
    base: resolveFlowApiBase(options.apiKey, options.baseUrl),
    timeoutMs: whole(options.timeoutMs, 'timeoutMs', DEFAULT_API_TIMEOUT_MS),
    cognitoVersion:
      printableOption(options.cognitoVersion, 'cognitoVersion') ?? DEFAULT_COGNITO_VERSION,
    policy: {
      ...policy,
      maxRetries: whole(options.maxRetries, 'maxRetries', policy.maxRetries),
      backoffBaseMs: whole(options.backoffBaseMs, 'backoffBaseMs', policy.backoffBaseMs),
      backoffMaxMs: whole(options.backoffMaxMs, 'backoffMaxMs', policy.backoffMaxMs),
      retryAfterMaxMs: whole(options.retryAfterMaxMs, 'retryAfterMaxMs', policy.retryAfterMaxMs),
    },
    observer: (options as ObservedApiOptions)[FLOW_API_OBSERVER],
  };
}
