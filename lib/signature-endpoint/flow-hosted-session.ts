import {
  BadGatewayException,
  ForbiddenException,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { FlowApiClient } from '../api/flow-api-client.js';
import { FlowApiError } from '../api/flow-api-error.js';
import type { ResolvedFlowSignatureEndpointOptions } from './signature-endpoint-options.js';
import { InvalidCustomerReferenceError } from '../signing/invalid-customer-reference.error.js';
import type { FlowHostedSessionResponse } from './flow-hosted-session-response.js';
import { readCustomerIdentity } from './read-customer-identity.js';

/** The generic answer when Cognito's API fails: its body is never echoed to the client. */
export const HOSTED_SESSION_UNAVAILABLE = 'Identity verification is unavailable right now.';

const logger = new Logger('FlowHostedSession');

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
 * nothing the client sends can choose it. Cognito failures answer a generic 502, or 503 when a
 * later attempt may succeed, and are logged with their code, never with Cognito's body.
 */
export async function currentUserHostedSession(
  endpoint: ResolvedFlowSignatureEndpointOptions,
  api: FlowApiClient,
  request: unknown,
): Promise<FlowHostedSessionResponse> {
  const route = `POST ${endpoint.hostedSessionPath ?? ''}`;
  const reading = readCustomerIdentity(await endpoint.customerReference(request));
  if ('problem' in reading) {
    logger.warn(
      `${route}: the guards let the request through, but no customer reference was resolved ` +
        `(the resolver ${reading.problem}). Answered 401.`,
    );
    throw new UnauthorizedException();
  }
  const { customerReference, email } = reading.identity;
  let result;
  try {
    result = await api.createFlowSession({ customerReference, email, shareable: true });
  } catch (error) {
    if (error instanceof InvalidCustomerReferenceError) {
      logger.warn(
        `${route}: the resolved customer reference was refused (reason: ${error.reason}). Answered 403.`,
      );
      throw new ForbiddenException('No Flow session can be created for this user.');
    }
    if (!(error instanceof FlowApiError)) throw error;
    const status = error.status === undefined ? '' : `, status ${error.status}`;
    logger.error(
      `${route}: Cognito's API call failed (code ${error.code}${status}, ${error.attempts} ` +
        `attempt(s)). Answered ${error.retryable ? 503 : 502}.`,
    );
    throw error.retryable
      ? new ServiceUnavailableException(HOSTED_SESSION_UNAVAILABLE)
      : new BadGatewayException(HOSTED_SESSION_UNAVAILABLE);
  }
  const { session, created } = result;
  if (!isWebUrl(session.shareable_url)) {
    logger.error(`${route}: Cognito's session has no usable shareable_url. Answered 502.`);
    throw new BadGatewayException(HOSTED_SESSION_UNAVAILABLE);
  }
  return { sessionId: session.id, shareableUrl: session.shareable_url, created };
}
