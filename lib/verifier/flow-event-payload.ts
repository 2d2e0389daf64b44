import { isUtf8 } from 'node:buffer';
import { FlowVerificationError } from '../http-signature/flow-verification.error.js';
import type { FlowWebhookEvent } from './flow-webhook-event.js';

/** Longest accepted event id, in UTF-16 units. */
export const MAX_EVENT_ID_LENGTH = 128;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a verified body into a Flow event: a JSON object with a non-empty string `id` of at most
 * 128 characters, a string `event` and an object `data`. Other fields are kept as they are.
 * @throws FlowVerificationError `invalid_payload` for anything else.
 */
export function parseFlowEventPayload(body: Buffer): FlowWebhookEvent {
  // Invalid UTF-8 is refused, never replaced. Node's native check and decoder are faster than a
  // fatal TextDecoder; toString keeps a BOM as U+FEFF, so JSON.parse refuses it as before.
  if (!isUtf8(body))
    throw new FlowVerificationError('invalid_payload', 'The body is not valid UTF-8 JSON.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new FlowVerificationError('invalid_payload', 'The body is not valid UTF-8 JSON.');
  }
  if (!isObject(parsed)) {
    throw new FlowVerificationError('invalid_payload', 'The body is not a JSON object.');
  }
  const { id, event, data } = parsed;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_EVENT_ID_LENGTH) {
    throw new FlowVerificationError(
      'invalid_payload',
      `The event id must be a string of 1 to ${MAX_EVENT_ID_LENGTH} characters.`,
    );
  }
  if (typeof event !== 'string') {
    throw new FlowVerificationError('invalid_payload', 'The event name must be a string.');
  }
  if (!isObject(data)) {
    throw new FlowVerificationError('invalid_payload', 'The event data must be an object.');
  }
  return parsed as FlowWebhookEvent;
}
