import { AnswerTooLargeError, readCappedText } from '../delivery/read-capped-text.js';
import type { FlowApiErrorDetail } from './flow-api-error.js';
import type { FlowApiSession } from './flow-api-session.js';

/** The media type Cognito's API speaks (JSON:API), sent as `Accept` and `Content-Type`. */
export const JSON_API_MEDIA_TYPE = 'application/vnd.api+json';

/**
 * True for an answer's `Content-Type` that is JSON: `application/vnd.api+json` (Cognito's) or
 * `application/json`, with any parameters. An HTML page from a proxy is not a session.
 */
export function isJsonAnswer(contentType: string | null): boolean {
  if (contentType === null) return false;
  const type = contentType.split(';', 1)[0].trim().toLowerCase();
  return type === JSON_API_MEDIA_TYPE || type === 'application/json';
}

/** Largest answer read, in bytes: a session is a few kilobytes. */
export const MAX_API_ANSWER_BYTES = 1024 * 1024;

/**
 * The body as text, or undefined past {@link MAX_API_ANSWER_BYTES} counted after decompression
 * (reading stops there and the connection is closed).
 */
export async function readSizedText(response: Response): Promise<string | undefined> {
  try {
    return await readCappedText(response, MAX_API_ANSWER_BYTES);
  } catch (error) {
    if (error instanceof AnswerTooLargeError) return undefined;
    throw error;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The session of a 2xx answer: a JSON object with a string `id`, or undefined. */
export function readSession(text: string): FlowApiSession | undefined {
  const value = parseObject(text);
  return value !== undefined && typeof value.id === 'string' && value.id !== ''
    ? (value as FlowApiSession)
    : undefined;
}

/** Cognito's `errors` array (its object entries, at most 20), or empty. */
export function readErrorDetails(text: string): FlowApiErrorDetail[] {
  const errors = parseObject(text)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter(
      (entry): entry is FlowApiErrorDetail =>
        entry !== null && typeof entry === 'object' && !Array.isArray(entry),
    )
    .slice(0, 20);
}
