import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FlowConfigurationError } from '../../lib/index.js';
import {
  FlowVerificationError,
  verifyFlowWebhook,
  type FlowVerifierOptions,
} from '../../lib/protocol/index.js';
import { EXAMPLE_WEBHOOK } from '../fixtures/flow-protocol.js';
import { generateSecret } from '../support/test-secrets.js';

const PATH = '/webhook_receivers/flow';
const KEY_ID = 'sandbox_key_00000000000000000000000000000000';

// Signed here with node:crypto, independently of the code under test.
function delivery(secret: string, date = new Date()) {
  const body = Buffer.from(EXAMPLE_WEBHOOK.body, 'utf8');
  const dateHeader = date.toUTCString();
  const digest = `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
  const signature = createHmac('sha256', secret)
    .update(`(request-target): post ${PATH}\ndate: ${dateHeader}\ndigest: ${digest}`)
    .digest('base64');
  return {
    method: 'POST',
    url: PATH,
    headers: {
      'content-type': 'application/json',
      date: dateHeader,
      digest,
      authorization: `Signature keyId="${KEY_ID}",algorithm="hmac-sha256",headers="(request-target) date digest",signature="${signature}"`,
    },
    rawBody: body,
  };
}

function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof FlowVerificationError) return error.reason;
    if (error instanceof FlowConfigurationError) return `configuration:${error.code}`;
    throw error;
  }
}

describe('verifyFlowWebhook called again with the same options object', () => {
  it('verifies every call', () => {
    const secret = generateSecret();
    const options: FlowVerifierOptions = { secrets: [secret], apiKeys: [KEY_ID] };
    for (let i = 0; i < 3; i++)
      expect(verifyFlowWebhook(delivery(secret), options).id).toBe('whkevt_11111111111111');
  });

  it('follows a secret rotated in place: the old one is refused at once, the new one accepted', () => {
    const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
    const options = { secrets: [oldSecret] };
    expect(reasonOf(() => verifyFlowWebhook(delivery(oldSecret), options))).toBeUndefined();
    options.secrets[0] = newSecret;
    expect(reasonOf(() => verifyFlowWebhook(delivery(oldSecret), options))).toBe('bad_signature');
    expect(reasonOf(() => verifyFlowWebhook(delivery(newSecret), options))).toBeUndefined();
    options.secrets.push(oldSecret);
    expect(reasonOf(() => verifyFlowWebhook(delivery(oldSecret), options))).toBeUndefined();
  });

  it('follows key ids and the window changed in place', () => {
    const secret = generateSecret();
    const options: { secrets: string[]; apiKeys: string[]; toleranceSeconds?: number } = {
      secrets: [secret],
      apiKeys: [KEY_ID],
    };
    const tenMinutesAgo = new Date(Date.now() - 10 * 60 * 1000);
    expect(
      reasonOf(() => verifyFlowWebhook(delivery(secret, tenMinutesAgo), options)),
    ).toBeUndefined();
    options.toleranceSeconds = 60;
    expect(reasonOf(() => verifyFlowWebhook(delivery(secret, tenMinutesAgo), options))).toBe(
      'stale_date',
    );
    options.apiKeys[0] = 'sandbox_key_11111111111111111111111111111111';
    expect(reasonOf(() => verifyFlowWebhook(delivery(secret), options))).toBe('unknown_key_id');
  });

  it('refuses unusable options on every call, and works once they are fixed in place', () => {
    const secret = generateSecret();
    const options: { secrets: string[] } = { secrets: [] };
    expect(reasonOf(() => verifyFlowWebhook(delivery(secret), options))).toBe(
      'configuration:missing_secret',
    );
    expect(reasonOf(() => verifyFlowWebhook(delivery(secret), options))).toBe(
      'configuration:missing_secret',
    );
    options.secrets.push(secret);
    expect(reasonOf(() => verifyFlowWebhook(delivery(secret), options))).toBeUndefined();
  });
});
