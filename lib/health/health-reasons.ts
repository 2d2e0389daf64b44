import type { FlowApiProbe } from '../api/flow-api-probe.js';
import { FlowEventStoreUnavailableError } from '../events/flow-event-store.error.js';

// Reasons come from closed sets of our own codes: no remote text (a Redis or PostgreSQL message,
// Cognito's errors) and no secret can reach a health answer through them.

/** Why the store check failed: the store error's reason, or `unreachable` for anything else. */
export function storeDownReason(error: unknown): string {
  return error instanceof FlowEventStoreUnavailableError ? error.reason : 'unreachable';
}

/** Why the API check failed, or undefined when Cognito accepted the signed request. */
export function apiDownReason(probe: FlowApiProbe): string | undefined {
  switch (probe.outcome) {
    case 'accepted':
      return undefined;
    case 'refused':
      return `refused (${probe.status})`;
    case 'unexpected':
      return 'unexpected answer';
    case 'unknown':
      return probe.error.code === 'http' && probe.error.status !== undefined
        ? `status ${probe.error.status}`
        : probe.error.code;
  }
}
