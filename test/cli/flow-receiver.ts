import { expect } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One delivery as a receiver saw it: raw bytes, headers and the request target as sent. */
export interface ReceivedDelivery {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A plain `node:http` receiver on 127.0.0.1 that records deliveries and answers chosen statuses. */
export interface TestReceiver {
  port: number;
  received: ReceivedDelivery[];
  /** Statuses to answer, in order; once used up, every delivery gets 204. */
  answers: number[];
  close(): Promise<void>;
}

/** Starts a {@link TestReceiver} on `127.0.0.1`, port chosen by the system. */
export async function startReceiver(): Promise<TestReceiver> {
  const received: ReceivedDelivery[] = [];
  const answers: number[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      const status = answers.shift() ?? 204;
      response.statusCode = status;
      response.end(status === 204 ? undefined : `answer ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The parameters of a `Signature …` Authorization header, read without the code under test. */
export function signatureParameters(authorization: string): Record<string, string> {
  expect(authorization.startsWith('Signature ')).toBe(true);
  const parameters: Record<string, string> = {};
  for (const match of authorization.slice('Signature '.length).matchAll(/([a-zA-Z]+)="([^"]*)"/g)) {
    parameters[match[1]] = match[2];
  }
  return parameters;
}

/**
 * Checks a delivery as FLOW-PROTOCOL §3 defines it, with `node:crypto` only: Digest of the raw
 * bytes, then HMAC-SHA256 of the signing string built from what arrived. Returns the keyId.
 */
export function expectValidFlowSignature(delivery: ReceivedDelivery, secret: string): string {
  const digest = `SHA-256=${createHash('sha256').update(delivery.body).digest('base64')}`;
  expect(delivery.headers.digest).toBe(digest);
  const date = delivery.headers.date as string;
  expect(date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  const parameters = signatureParameters(delivery.headers.authorization as string);
  expect(parameters.algorithm).toBe('hmac-sha256');
  expect(parameters.headers).toBe('(request-target) date digest');
  const signingString = `(request-target): ${delivery.method.toLowerCase()} ${delivery.url}\ndate: ${date}\ndigest: ${digest}`;
  expect(parameters.signature).toBe(
    createHmac('sha256', secret).update(signingString, 'utf8').digest('base64'),
  );
  return parameters.keyId;
}
