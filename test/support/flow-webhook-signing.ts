import { createHash, createHmac } from 'node:crypto';
import type { FlowSignedRequest } from '../../lib/protocol/index.js';

/**
 * Test-side signing of Flow webhooks with node:crypto only, independent of the library, so the
 * verifier is checked against the protocol and not against itself.
 */
export interface TestDelivery {
  secret: string;
  keyId?: string;
  method?: string;
  /** Path and query as sent. */
  url?: string;
  /** Path and query that are signed (default: `url`). */
  signedTarget?: string;
  date?: Date | string;
  body?: string | Buffer;
}

/** A small valid Flow event body. */
export function flowEventBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'whkevt_0123456789abcd',
    timestamp: '2026-01-01T00:00:00Z',
    event: 'flow_session.status.updated',
    environment: 'sandbox',
    data: {
      object: 'flow_session',
      id: 'flwses_0123456789abcd',
      status: 'success',
      step: null,
      customer_reference: 'user-1',
    },
    ...overrides,
  });
}

/** base64(SHA-256(bytes)) with the `SHA-256=` prefix. */
export function testDigest(body: string | Buffer): string {
  return `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
}

/** base64(HMAC-SHA256(secret, text)). */
export function testHmac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('base64');
}

/** Headers of a signed delivery, lower-case, as Node receives them. */
export function testHeaders(delivery: TestDelivery): Record<string, string> {
  const body = delivery.body ?? flowEventBody();
  const method = delivery.method ?? 'POST';
  const url = delivery.url ?? '/webhook_receivers/flow';
  const date =
    typeof delivery.date === 'string' ? delivery.date : (delivery.date ?? new Date()).toUTCString();
  const digest = testDigest(body);
  const target = `${method.toLowerCase()} ${delivery.signedTarget ?? url}`;
  const signature = testHmac(
    delivery.secret,
    `(request-target): ${target}\ndate: ${date}\ndigest: ${digest}`,
  );
  const keyId = delivery.keyId ?? 'sandbox_key_0123456789abcdef0123456789abcdef';
  return {
    date,
    digest,
    authorization: `Signature keyId="${keyId}",algorithm="hmac-sha256",headers="(request-target) date digest",signature="${signature}"`,
    'content-type': 'application/json',
    accept: 'application/json',
    'cognito-version': '2020-08-14',
    'content-length': String(Buffer.byteLength(body)),
  };
}

/** A complete request object for the framework-free verifier. */
export function testRequest(delivery: TestDelivery): FlowSignedRequest {
  const body = delivery.body ?? flowEventBody();
  return {
    method: delivery.method ?? 'POST',
    url: delivery.url ?? '/webhook_receivers/flow',
    headers: testHeaders(delivery),
    rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  };
}

/** Returns `request` with header `name` replaced (or removed when value is undefined). */
export function withHeader(
  request: FlowSignedRequest,
  name: string,
  value: string | string[] | undefined,
): FlowSignedRequest {
  const headers: Record<string, string | readonly string[] | undefined> = { ...request.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...request, headers };
}

/** The refusal reason `fn` throws, or 'accepted'. */
export function reasonOf(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    const reason = (error as { reason?: string }).reason;
    if (typeof reason !== 'string') throw error;
    return reason;
  }
}
