import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowConfigurationError } from '../../lib/index.js';
import {
  FlowVerificationError,
  createFlowWebhookVerifier,
  verifyFlowWebhook,
} from '../../lib/protocol/index.js';
import { EXAMPLE_WEBHOOK } from '../fixtures/flow-protocol.js';
import { generateSecret } from '../support/test-secrets.js';

const PATHS = ['/webhook_receivers/flow', '/api/flow'];
const KEYS = [
  'sandbox_key_00000000000000000000000000000000',
  'sandbox_key_11111111111111111111111111111111',
];
const SECRETS = [generateSecret(), generateSecret(), generateSecret()];
const SENT_AT = Date.UTC(2026, 0, 5, 12, 0, 0);
const CLOCKS = [() => new Date(SENT_AT + 30_000), () => new Date(SENT_AT + 600_000)];

// Signed here with node:crypto, independently of the code under test.
function delivery(secret: string, keyId: string, path: string) {
  const body = Buffer.from(EXAMPLE_WEBHOOK.body, 'utf8');
  const date = new Date(SENT_AT).toUTCString();
  const digest = `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
  const signature = createHmac('sha256', secret)
    .update(`(request-target): post ${path}\ndate: ${date}\ndigest: ${digest}`)
    .digest('base64');
  return {
    method: 'POST',
    url: '/internal/flow',
    headers: {
      'content-type': 'application/json',
      date,
      digest,
      authorization: `Signature keyId="${keyId}",algorithm="hmac-sha256",headers="(request-target) date digest",signature="${signature}"`,
    },
    rawBody: body,
  };
}

function answer(run: () => { id: string }): string {
  try {
    return `event ${run().id}`;
  } catch (error) {
    if (error instanceof FlowVerificationError) return error.reason;
    if (error instanceof FlowConfigurationError) return `configuration:${error.code}`;
    throw error;
  }
}

interface Options {
  secrets: string[];
  apiKeys?: string[];
  toleranceSeconds?: number;
  maxBodyBytes?: number;
  now: () => Date;
  publicPath: string;
}

// Everything a host may change in the options object it keeps passing, in place or by replacing.
type Change = (options: Options) => void;
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.nat(2).map((i) => (o: Options) => void (o.secrets[0] = SECRETS[i])),
  fc.nat(2).map((i) => (o: Options) => void o.secrets.push(SECRETS[i])),
  fc.constant((o: Options) => void o.secrets.pop()),
  fc.nat(2).map((i) => (o: Options) => void (o.secrets = [SECRETS[i]])),
  fc.nat(1).map((i) => (o: Options) => void (o.apiKeys = [KEYS[i]])),
  fc.nat(1).map((i) => (o: Options) => void o.apiKeys?.splice(0, 1, KEYS[i])),
  fc.constant((o: Options) => void delete o.apiKeys),
  fc.constantFrom(60, 900, 0).map((s) => (o: Options) => void (o.toleranceSeconds = s)),
  fc.constantFrom(100, 1_000_000).map((n) => (o: Options) => void (o.maxBodyBytes = n)),
  fc.nat(1).map((i) => (o: Options) => void (o.now = CLOCKS[i])),
  fc.nat(1).map((i) => (o: Options) => void (o.publicPath = PATHS[i])),
);
const step = fc.tuple(fc.option(change, { nil: undefined }), fc.nat(2), fc.nat(1), fc.nat(1));

describe('verifyFlowWebhook (keeps a prepared verifier per options object) against a verifier prepared afresh', () => {
  it('answers every call the same, whatever the host changes in the options object between calls', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const options: Options = {
          secrets: [SECRETS[0]],
          apiKeys: [KEYS[0]],
          now: CLOCKS[0],
          publicPath: PATHS[0],
        };
        for (const [edit, secret, key, path] of steps) {
          edit?.(options);
          const request = delivery(SECRETS[secret], KEYS[key], PATHS[path]);
          const copy = {
            ...options,
            secrets: [...options.secrets],
            apiKeys: options.apiKeys && [...options.apiKeys],
          };
          expect(answer(() => verifyFlowWebhook(request, options))).toBe(
            answer(() => createFlowWebhookVerifier(copy)(request)),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
