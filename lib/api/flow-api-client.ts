import { inspect } from 'node:util';
import { validatePublicKey, validateSecret } from '../option-checks/validate-keys.js';
import {
  createFlowRequestSigner,
  type FlowRequestSigner,
} from '../http-signature/sign-flow-request.js';
import {
  assertCustomerReference,
  customerReferenceProblem,
} from '../signing/customer-reference.js';
import { resolveFlowApiBase } from './flow-api-base-url.js';
import {
  DEFAULT_API_TIMEOUT_MS,
  DEFAULT_COGNITO_VERSION,
  type FlowApiClientOptions,
} from './flow-api-client-options.js';
import { FlowApiError } from './flow-api-error.js';
import { sendSignedRequest, type FlowApiTransport } from './send-signed-request.js';
import type {
  CreateFlowSessionInput,
  CreateFlowSessionOptions,
  CreatedFlowSession,
  FlowApiSession,
} from './flow-session.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';

/** `flwses_` and letters or digits: checked before a request, so a path cannot be smuggled in. */
const SESSION_ID = /^flwses_[A-Za-z0-9]{1,100}$/;

function whole(value: unknown, label: string, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new TypeError(`${label} must be a whole number of at least ${minimum}.`);
  }
  return value;
}

function printable(value: unknown, label: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) {
    throw new TypeError(`${label} must be a non-empty string of printable ASCII without spaces.`);
  }
  return value;
}

// The Nest provider builds a client that explains the missing configuration on first use.
let pendingProblem: string | undefined;

/**
 * Calls Cognito's Flow API, each request signed with the API secret (`Date`, `Digest`,
 * `Authorization: Signature …` over `(request-target) date digest`). Framework-free: construct it
 * in a script or a worker, or inject it from `FlowModule`. Failures safe to repeat (network
 * errors, timeouts, 429, 5xx on a GET or an idempotent POST) are retried with jittered backoff,
 * each attempt signed afresh; everything else throws {@link FlowApiError} at once.
 */
export class FlowApiClient {
  readonly #transport: FlowApiTransport | undefined;
  readonly #problem: string | undefined;
  readonly #templateId: string | undefined;
  readonly #apiKey: string | undefined;

  /**
   * @throws FlowConfigurationError for an unusable secret or a secret in `apiKey`; TypeError for
   *   another unusable option (never naming the secret's value).
   */
  constructor(options: FlowApiClientOptions) {
    if (pendingProblem !== undefined) {
      this.#problem = pendingProblem;
      return;
    }
    if (options === null || typeof options !== 'object') {
      throw new TypeError('new FlowApiClient() needs { apiKey, apiSecret }.');
    }
    validateSecret(options.apiSecret, 'apiSecret');
    if (options.apiKey === undefined) {
      throw new TypeError(
        'apiKey is missing: pass the API key (FLOW_API_KEY), e.g. sandbox_key_….',
      );
    }
    validatePublicKey(options.apiKey, 'apiKey', 'api_key');
    const sign: FlowRequestSigner = createFlowRequestSigner({
      secret: options.apiSecret,
      keyId: options.apiKey,
    });
    this.#apiKey = options.apiKey;
    this.#templateId = printable(options.templateId, 'templateId');
    this.#transport = {
      sign,
      base: resolveFlowApiBase(options.apiKey, options.baseUrl),
      timeoutMs: whole(options.timeoutMs, 'timeoutMs', DEFAULT_API_TIMEOUT_MS, 1),
      cognitoVersion:
        printable(options.cognitoVersion, 'cognitoVersion') ?? DEFAULT_COGNITO_VERSION,
      policy: {
        ...DEFAULT_RETRY_POLICY,
        maxRetries: whole(options.maxRetries, 'maxRetries', DEFAULT_RETRY_POLICY.maxRetries, 0),
        backoffBaseMs: whole(
          options.backoffBaseMs,
          'backoffBaseMs',
          DEFAULT_RETRY_POLICY.backoffBaseMs,
          0,
        ),
        backoffMaxMs: whole(
          options.backoffMaxMs,
          'backoffMaxMs',
          DEFAULT_RETRY_POLICY.backoffMaxMs,
          0,
        ),
        retryAfterMaxMs: whole(
          options.retryAfterMaxMs,
          'retryAfterMaxMs',
          DEFAULT_RETRY_POLICY.retryAfterMaxMs,
          0,
        ),
      },
    };
  }

  /** The API's base URL requests go to. */
  get baseUrl(): string | undefined {
    const base = this.#transport?.base;
    return base && base.origin + base.pathPrefix;
  }

  /** False for the module's client when no API key is configured: every call then throws. */
  get configured(): boolean {
    return this.#transport !== undefined;
  }

  /**
   * Creates a flow session for a user (`POST /flow_sessions`), or with `idempotent` (the
   * default) returns the one that already exists for this customer reference and template.
   * @throws InvalidCustomerReferenceError for a reference `FlowSigner.sign` would refuse;
   *   TypeError without a template id; FlowApiError when the call fails.
   */
  async createFlowSession(
    input: CreateFlowSessionInput,
    options: CreateFlowSessionOptions = {},
  ): Promise<CreatedFlowSession> {
    const transport = this.#ready();
    assertCustomerReference(input?.customerReference);
    const templateId = printable(input.templateId, 'templateId') ?? this.#templateId;
    if (templateId === undefined) {
      throw new TypeError(
        'No template id: pass templateId to the call or to the client (FLOW_TEMPLATE_ID).',
      );
    }
    // The e-mail goes into the same JSON body: held to the reference's rules (no control characters).
    if (input.email !== undefined && customerReferenceProblem(input.email) !== undefined) {
      throw new TypeError('email must be a non-empty string without control characters.');
    }
    const idempotent = options.idempotent !== false;
    const user: Record<string, string> = { customer_reference: input.customerReference };
    if (input.email !== undefined) user.email = input.email;
    const body = JSON.stringify({
      shareable: input.shareable === true,
      template_id: templateId,
      user,
    });
    const answer = await sendSignedRequest(transport, {
      method: 'POST',
      path: idempotent ? '/flow_sessions?idempotent=true' : '/flow_sessions',
      body,
      retrySafe: idempotent,
    });
    return { created: answer.status === 201, session: answer.session };
  }

  /**
   * Reads a flow session (`GET /flow_sessions/{id}`), with the user's verified data, exactly as
   * Cognito sends it.
   * @throws TypeError for an id that is not `flwses_…`; FlowApiError when the call fails.
   */
  async getFlowSession(id: string): Promise<FlowApiSession> {
    const transport = this.#ready();
    if (typeof id !== 'string' || !SESSION_ID.test(id)) {
      throw new TypeError('A flow session id is flwses_ followed by letters and digits.');
    }
    const answer = await sendSignedRequest(transport, {
      method: 'GET',
      path: `/flow_sessions/${id}`,
      body: '',
      retrySafe: true,
    });
    return answer.session;
  }

  /** A redacted plain form: where requests go, never what signs them. */
  toJSON(): Record<string, unknown> {
    return this.#transport === undefined
      ? { configured: false }
      : {
          baseUrl: this.baseUrl,
          apiKey: this.#apiKey,
          templateId: this.#templateId,
          cognitoVersion: this.#transport.cognitoVersion,
          timeoutMs: this.#transport.timeoutMs,
          maxRetries: this.#transport.policy.maxRetries,
        };
  }

  /** What `console.log` and `util.inspect` show. */
  [inspect.custom](depth: number, options: object, inspectFn: typeof inspect = inspect): string {
    return `FlowApiClient ${inspectFn(this.toJSON(), options)}`;
  }

  #ready(): FlowApiTransport {
    if (this.#transport === undefined) {
      throw new FlowApiError({
        code: 'not_configured',
        message: this.#problem ?? 'Not configured.',
      });
    }
    return this.#transport;
  }
}

/**
 * A client whose every call throws {@link FlowApiError} `not_configured` with `problem` (how to
 * configure it): what `FlowModule` provides when no API key is set.
 */
export function unconfiguredFlowApiClient(problem: string): FlowApiClient {
  pendingProblem = problem;
  try {
    return new FlowApiClient(undefined as unknown as FlowApiClientOptions);
  } finally {
    pendingProblem = undefined;
  }
}
