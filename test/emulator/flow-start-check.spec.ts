import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFlowStartCheck } from '../../lib/emulator/customer-reference-check.js';
import {
  EXAMPLE_CUSTOMER_REFERENCE,
  EXAMPLE_SECRET,
  EXAMPLE_SIGNATURE,
} from '../fixtures/flow-protocol.js';

const KEYS = {
  apiSecret: EXAMPLE_SECRET,
  publishableKey: 'live_publishable_key_00112233445566778899aabbccddeeff',
  templateId: 'flwtmp_checks0000001',
};
const check = createFlowStartCheck(KEYS);

function start(user: Record<string, unknown> | null, overrides: Record<string, unknown> = {}) {
  return check({
    publishableKey: KEYS.publishableKey,
    templateId: KEYS.templateId,
    user,
    ...overrides,
  });
}

describe("the emulator's checks of new Flow(…)", () => {
  it("accepts Cognito's known answer for the customer reference's signature", () => {
    expect(
      start({ customerReference: EXAMPLE_CUSTOMER_REFERENCE, signature: EXAMPLE_SIGNATURE }),
    ).toBeUndefined();
  });

  it('refuses a signature of another reference, under another secret, or of another spelling', () => {
    const otherReference = createHmac('sha256', EXAMPLE_SECRET)
      .update('someone-else')
      .digest('base64');
    const otherSecret = createHmac('sha256', `${EXAMPLE_SECRET}x`)
      .update(EXAMPLE_CUSTOMER_REFERENCE)
      .digest('base64');
    // The same 32 bytes with the last character's free low bits set: not the canonical base64.
    const respelled = `${EXAMPLE_SIGNATURE.slice(0, 42)}9=`;
    expect(Buffer.from(respelled, 'base64')).toStrictEqual(
      Buffer.from(EXAMPLE_SIGNATURE, 'base64'),
    );
    for (const signature of [otherReference, otherSecret, respelled, 'not base64', 42]) {
      const refusal = start({ customerReference: EXAMPLE_CUSTOMER_REFERENCE, signature });
      expect(refusal?.code).toBe('invalid_signature');
      expect(refusal?.status).toBe(401);
      expect(refusal?.message).toMatch(/signature/);
    }
  });

  it('refuses a missing signature, naming it', () => {
    for (const signature of [undefined, null, '']) {
      const refusal = start({ customerReference: EXAMPLE_CUSTOMER_REFERENCE, signature });
      expect(refusal?.code).toBe('missing_signature');
      expect(refusal?.message).toMatch(/signature is missing/);
    }
  });

  it('refuses an unknown publishable key or template before looking at the user', () => {
    const user = { customerReference: EXAMPLE_CUSTOMER_REFERENCE, signature: EXAMPLE_SIGNATURE };
    expect(start(user, { publishableKey: `${KEYS.publishableKey}0` })?.code).toBe(
      'unknown_publishable_key',
    );
    expect(start(user, { publishableKey: undefined })?.code).toBe('unknown_publishable_key');
    expect(start(user, { templateId: 'flwtmp_other' })?.code).toBe('unknown_template');
  });

  it('refuses a missing user or a reference that cannot be signed, with a 422', () => {
    for (const user of [null, {}, { customerReference: '' }, { customerReference: 'a\nb' }]) {
      const refusal = start(user);
      expect(refusal?.code).toBe('invalid_customer_reference');
      expect(refusal?.status).toBe(422);
    }
  });

  it('never puts the secret in a refusal', () => {
    const refusal = start({ customerReference: EXAMPLE_CUSTOMER_REFERENCE, signature: 'x' });
    expect(JSON.stringify(refusal)).not.toContain(EXAMPLE_SECRET);
  });
});
