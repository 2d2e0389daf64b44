import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest body the emulator reads: Cognito's requests and the dialog's are a few hundred bytes. */
export const MAX_EMULATOR_BODY_BYTES = 64 * 1024;

/** A request body over {@link MAX_EMULATOR_BODY_BYTES}. */
export class BodyTooLargeError extends Error {}

/** Reads the whole body as raw bytes, refusing more than {@link MAX_EMULATOR_BODY_BYTES}. */
export function readRawBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_EMULATOR_BODY_BYTES) {
        // The rest is drained unread, so the client still gets the 413 answer.
        request.off('data', onData);
        request.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Parses JSON, or returns undefined for anything that is not a JSON object. */
export function parseJsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
};

/** Sends a JSON answer. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    ...headers,
    'Content-Length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

/** Sends Cognito's error shape: `{ errors: [{ code, message }] }`. */
export function sendError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(response, status, { errors: [{ code, message }] }, headers);
}

/** Sends a text asset (HTML, JavaScript). */
export function sendText(
  response: ServerResponse,
  contentType: string,
  text: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(200, {
    ...COMMON_HEADERS,
    ...headers,
    'Content-Type': `${contentType}; charset=utf-8`,
    'Content-Length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}
