import { inspect } from 'node:util';
import {
  assertCustomerReference,
  customerReferenceProblem,
} from '../signing/customer-reference.js';
import type { FlowApiClientOptions } from './flow-api-client-options.js';
import { createFlowApiTransport, printableOption } from './flow-api-transport.js';
import { FlowApiError } from './flow-api-error.js';
import { isFlowSessionId } from './flow-session-id.js';
import { sendSignedRequest, type FlowApiTransport } from './send-signed-request.js';
import type { FlowApiSession } from './flow-api-session.js';
import type {
  CreateFlowSessionInput,
  CreateFlowSessionOptions,
  CreatedFlowSession,
  RetryFlowSessionInput,
} from './flow-session.js';

/**
 * Marks the options of a client made unconfigured on purpose (the module's, without an API key).
 * Module-private, so no caller can forge it; the problem then lives in that instance alone.
 */
const UNCONFIGURED = Symbol('unconfigured FlowApiClient');

/** The options {@link unconfiguredFlowApiClient} passes: the problem to report on every call. */
interface UnconfiguredOptions {
  readonly [UNCONFIGURED]: string;
}

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
    const unconfigured = (options as Partial<UnconfiguredOptions> | null | undefined)?.[
      UNCONFIGURED
    ];
    if (unconfigured !== undefined) {
      this.#problem = unconfigured;
      return;
    }
    this.#transport = createFlowApiTransport(options);
    this.#apiKey = options.apiKey;
    this.#templateId = printableOption(options.templateId, 'templateId');
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
    const templateId = this.#template(input.templateId);
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
      operation: 'flow_sessions.create',
      template: '/flow_sessions',
    });
    return { created: answer.status === 201, session: answer.session };
  }

  /**
   * Asks Cognito to let the user go through the Flow again (`POST /flow_sessions/retry`, body
   * `{"customer_reference","template_id","strategy"}`, strategy `reset` by default). Cognito
   * answers a new session whose `previous_session_id` is the old one; the old one ends `canceled`.
   * Never repeated: the call has no idempotent form, so an attempt that may have reached Cognito
   * could create a second session.
   * @throws InvalidCustomerReferenceError, TypeError for a bad template id or strategy,
   *   FlowApiError when the call fails.
   */
  async retryFlowSession(input: RetryFlowSessionInput): Promise<FlowApiSession> {
    const transport = this.#ready();
    assertCustomerReference(input?.customerReference);
    const templateId = this.#template(input.templateId);
    const strategy = printableOption(input.strategy, 'strategy') ?? 'reset';
    const body = JSON.stringify({
      customer_reference: input.customerReference,
      template_id: templateId,
      strategy,
    });
    const answer = await sendSignedRequest(transport, {
      method: 'POST',
      path: '/flow_sessions/retry',
      body,
      retrySafe: false,
      operation: 'flow_sessions.retry',
      template: '/flow_sessions/retry',
    });
    return answer.session;
  }

  /**
   * Reads a flow session (`GET /flow_sessions/{id}`), with the user's verified data, exactly as
   * Cognito sends it.
   * @throws TypeError for an id that is not `flwses_…`; FlowApiError when the call fails.
   */
  async getFlowSession(id: string): Promise<FlowApiSession> {
    const transport = this.#ready();
    if (!isFlowSessionId(id)) {
      throw new TypeError('A flow session id is flwses_ followed by letters and digits.');
    }
    const answer = await sendSignedRequest(transport, {
      method: 'GET',
      path: `/flow_sessions/${id}`,
      body: '',
      retrySafe: true,
      operation: 'flow_sessions.get',
      template: '/flow_sessions/{id}',
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

  #template(given: string | undefined): string {
    const templateId = printableOption(given, 'templateId') ?? this.#templateId;
    if (templateId === undefined) {
      throw new TypeError(
        'No template id: pass templateId to the call or to the client (FLOW_TEMPLATE_ID).',
      );
    }
    return templateId;
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
  const options: UnconfiguredOptions = { [UNCONFIGURED]: problem };
  return new FlowApiClient(options as unknown as FlowApiClientOptions);
}
