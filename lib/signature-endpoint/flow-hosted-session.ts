import {
  BadGatewayException,
  ForbiddenException,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { FlowApiClient } from '../api/flow-api-client.js';
import { FlowApiError } from '../api/flow-api-error.js';
import type { ResolvedFlowSignatureEndpointOptions } from './signature-endpoint-options.js';
import { InvalidCustomerReferenceError } from '../signing/invalid-customer-reference.error.js';
import { RefusalLog } from '../webhook/refusal-log.js';
import type { FlowHostedSessionResponse } from './flow-hosted-session-response.js';
import { readCustomerIdentity } from './read-customer-identity.js';
import { FOREIGN_ORIGIN_MESSAGE, NOT_JSON_MESSAGE, crossSiteRefusal } from './cross-site-check.js';

/** The generic answer when Cognito's API fails: its body is never echoed to the client. */
export const HOSTED_SESSION_UNAVAILABLE = 'Identity verification is unavailable right now.';

/** The route's log lines, each reason at most once a minute, as webhook refusals are. */
export interface HostedSessionLog {
  /** Refusals of the request (warn). */
  warnings: RefusalLog;
  /** Failures of Cognito's API (error). */
  errors: RefusalLog;
}

/**
 * A new bounded log for one route: the route's controller holds it, so a flood of failing
 * requests writes one line per reason, and no state is shared between apps.
 */
export function hostedSessionLog(): HostedSessionLog {
  const logger = new Logger('FlowHostedSession');
  return {
    warnings: new RefusalLog(logger),
    errors: new RefusalLog({ warn: (line) => logger.error(line) }),
  };
}

function isWebUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Creates (or, idempotently, returns) the shareable session of the user `request` belongs to.
 * The reference comes only from the configured resolver, i.e. the authenticated principal:
 * nothing the client sends can choose it. A request a page of another site could send without a
 * CORS preflight is refused first (415 or 403). Cognito failures answer a generic 502, or 503 when
 * a later attempt may succeed, and are logged with their code, never with Cognito's body.
 */
export async function currentUserHostedSession(
  endpoint: ResolvedFlowSignatureEndpointOptions,
  api: FlowApiClient,
  request: unknown,
  log: HostedSessionLog,
): Promise<FlowHostedSessionResponse> {
  const route = `POST ${endpoint.hostedSessionPath ?? ''}`;
  const crossSite = crossSiteRefusal(request);
  if (crossSite !== undefined) {
    const status = crossSite === 'not_json' ? 415 : 403;
    log.warnings.refused(
      crossSite,
      `${route}: refused a request that a page of another site could send (${crossSite}). ` +
        `Clients send Content-Type: application/json. Answered ${status}.`,
    );
    throw crossSite === 'not_json'
      ? new UnsupportedMediaTypeException(NOT_JSON_MESSAGE)
      : new ForbiddenException(FOREIGN_ORIGIN_MESSAGE);
  }
  const reading = readCustomerIdentity(await endpoint.customerReference(request));
  if ('problem' in reading) {
    log.warnings.refused(
      'unresolved',
      `${route}: the guards let the request through, but no customer reference was resolved ` +
        `(the resolver ${reading.problem}). Answered 401.`,
    );
    throw new UnauthorizedException();
  }
  if (reading.emailLeftOut !== undefined) {
    // The reason only: the address is personal data.
    log.warnings.refused(
      'email_left_out',
      `${route}: the principal's e-mail was left out of the session request (reason: ` +
        `${reading.emailLeftOut}); Flow asks the user for it.`,
    );
  }
  const { customerReference, email } = reading.identity;
  let result;
  try {
    result = await api.createFlowSession({ customerReference, email, shareable: true });
  } catch (error) {
    if (error instanceof InvalidCustomerReferenceError) {
      log.warnings.refused(
        'refused_reference',
        `${route}: the resolved customer reference was refused (reason: ${error.reason}). Answered 403.`,
      );
      throw new ForbiddenException('No Flow session can be created for this user.');
    }
    if (!(error instanceof FlowApiError)) throw error;
    const status = error.status === undefined ? '' : `, status ${error.status}`;
    log.errors.refused(
      `api_${error.code}_${error.status ?? 'none'}`,
      `${route}: Cognito's API call failed (code ${error.code}${status}, ${error.attempts} ` +
        `attempt(s)). Answered ${error.retryable ? 503 : 502}.`,
    );
    throw error.retryable
      ? new ServiceUnavailableException(HOSTED_SESSION_UNAVAILABLE)
      : new BadGatewayException(HOSTED_SESSION_UNAVAILABLE);
  }
  const { session, created } = result;
  if (!isWebUrl(session.shareable_url)) {
    log.errors.refused(
      'no_shareable_url',
      `${route}: Cognito's session has no usable shareable_url. Answered 502.`,
    );
    throw new BadGatewayException(HOSTED_SESSION_UNAVAILABLE);
  }
  return { sessionId: session.id, shareableUrl: session.shareable_url, created };
}
