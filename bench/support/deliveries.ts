import { EXAMPLE_SECRET, EXAMPLE_WEBHOOK } from '../../test/fixtures/flow-protocol.js';
import { signFlowWebhook, type FlowWebhookHeaders } from '../../lib/testing/index.js';
import {
  createFlowWebhookVerifier,
  verifyFlowWebhook,
  type FlowVerifierOptions,
} from '../../lib/protocol/index.js';

/** A signed delivery in the shape Node hands a server: method, url, headers and the raw bytes. */
export interface BenchDelivery {
  /** `POST`. */
  method: string;
  /** Path exactly as signed. */
  url: string;
  /** Lower-case headers, as `req.headers`. */
  headers: FlowWebhookHeaders;
  /** Every header as a one-element list, as `req.headersDistinct`. */
  headersDistinct: Record<string, string[]>;
  /** The body bytes. */
  rawBody: Buffer;
  /** The signature alone, for the floor (which does not parse Authorization). */
  signature: string;
  /** When it was signed, for verifiers with a clock option. */
  signedAt: Date;
}

/** The secret every benchmark signs with: the public example secret of Cognito's docs. */
export const BENCH_SECRET = EXAMPLE_SECRET;
/** The key id of the documented delivery. */
export const BENCH_KEY_ID = EXAMPLE_WEBHOOK.keyId;
/** Where the documented delivery is posted. */
export const BENCH_PATH = EXAMPLE_WEBHOOK.path;

/** The documented 340-byte delivery, byte for byte. */
export const EXAMPLE_BODY = Buffer.from(EXAMPLE_WEBHOOK.body, 'utf8');

/**
 * A Flow event of exactly `bytes` bytes: the documented event with a history of step updates in
 * `data` (so JSON.parse does real work, not one long string), padded to size with a last field.
 */
export function flowEventOfSize(bytes: number): Buffer {
  const event = JSON.parse(EXAMPLE_WEBHOOK.body) as { data: Record<string, unknown> };
  const steps = [
    'accept_tos',
    'verify_sms',
    'kyc_check',
    'documentary_verification',
    'selfie_check',
    'screening',
  ];
  const history: unknown[] = [];
  event.data.history = history;
  event.data.padding = '';
  const entry = (i: number) => ({
    step: steps[i % steps.length],
    status: i % 7 === 0 ? 'failed' : 'success',
    at: new Date(Date.UTC(2021, 0, 1, 0, 0, i % 60)).toISOString(),
    attempt: i,
  });
  // Entries vary in length: add them while they fit, then pad the exact remainder.
  let total = Buffer.byteLength(JSON.stringify(event));
  for (let i = 0; ; i++) {
    const length = Buffer.byteLength(JSON.stringify(entry(i))) + 1;
    if (total + length > bytes) break;
    history.push(entry(i));
    total += length;
  }
  const rest = bytes - Buffer.byteLength(JSON.stringify(event));
  if (rest < 0) throw new Error(`cannot build a ${bytes}-byte event`);
  event.data.padding = 'x'.repeat(rest);
  const body = Buffer.from(JSON.stringify(event), 'utf8');
  if (body.length !== bytes) throw new Error(`built ${body.length} bytes instead of ${bytes}`);
  return body;
}

/** Signs `body` as Cognito does for the benchmark path, at `date` (default: the documented date). */
export function signedDelivery(
  body: Buffer,
  date: Date = new Date(EXAMPLE_WEBHOOK.date),
): BenchDelivery {
  const headers = signFlowWebhook({
    secret: BENCH_SECRET,
    apiKey: BENCH_KEY_ID,
    path: BENCH_PATH,
    body,
    date,
  });
  const signature = /signature="([^"]+)"/.exec(headers.authorization)?.[1];
  if (!signature) throw new Error('signFlowWebhook produced no signature');
  return {
    method: 'POST',
    url: BENCH_PATH,
    headers,
    headersDistinct: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, [value]]),
    ),
    rawBody: body,
    signature,
    signedAt: date,
  };
}

/**
 * What the in-process verification figures verify at `bytes`: the documented delivery at 340
 * bytes, else a Flow event of that size, signed now as documented, with the verifier options
 * every subject gets (the delivery's own clock, a body limit that admits it).
 */
export function verificationCase(bytes: number): {
  body: Buffer;
  delivery: BenchDelivery;
  options: FlowVerifierOptions;
} {
  const body = bytes === 340 ? EXAMPLE_BODY : flowEventOfSize(bytes);
  const delivery = signedDelivery(body);
  return {
    body,
    delivery,
    options: {
      secrets: [BENCH_SECRET],
      apiKeys: [BENCH_KEY_ID],
      maxBodyBytes: Math.max(bytes, 1024 * 1024),
      now: () => delivery.signedAt,
    },
  };
}

/** The module's two verifiers the figures time, by name: `prepared` and `oneShot`. */
export type ModuleVerifierKind = 'prepared' | 'oneShot';

/**
 * One of the module's verifiers bound to `delivery`: `prepared` is `createFlowWebhookVerifier`
 * made once (the guard's path), `oneShot` is `verifyFlowWebhook` given its options on each call.
 */
export function moduleVerifier(
  kind: string,
  delivery: BenchDelivery,
  options: FlowVerifierOptions,
): () => unknown {
  if (kind === 'prepared') {
    const verify = createFlowWebhookVerifier(options);
    return () => verify(delivery);
  }
  if (kind === 'oneShot') return () => verifyFlowWebhook(delivery, options);
  throw new Error(`unknown verifier ${kind}`);
}

/** Throws unless `verify` returns the event `expectedId`: a timed task must do its real work. */
export function assertVerifiesTo(name: string, verify: () => unknown, expectedId: string): void {
  const event = verify() as { id?: unknown } | undefined;
  if (event?.id !== expectedId) throw new Error(`${name} did not return the delivered event`);
}
