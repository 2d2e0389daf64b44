import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createFlowStartCheck,
  type FlowStartGrant,
  type FlowStartRefusal,
} from '../../lib/emulator/customer-reference-check.js';
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

/** The refusal's fields, or empty ones for a grant. */
function start(
  user: Record<string, unknown> | null,
  overrides: Record<string, unknown> = {},
): Partial<FlowStartRefusal & FlowStartGrant> {
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
    ).toStrictEqual({
      customerReference: EXAMPLE_CUSTOMER_REFERENCE,
      signed: true,
      email: undefined,
    });
  });

  it('takes a safe-integer reference as its decimal string, signed over that string', () => {
    // The HMAC of the text "42" under the documented secret, computed independently here.
    const overText = createHmac('sha256', EXAMPLE_SECRET).update('42').digest('base64');
    expect(start({ customerReference: 42, signature: overText })).toMatchObject({
      customerReference: '42',
      signed: true,
    });
    expect(start({ customerReference: '42', signature: overText }).signed).toBe(true);
    for (const customerReference of [4.2, 2 ** 53, -(2 ** 53), Number.NaN, Infinity]) {
      expect(start({ customerReference, signature: overText }).code).toBe(
        'invalid_customer_reference',
      );
    }
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

  it('grants a reference without a signature as unsigned (the caller counts and limits those)', () => {
    for (const signature of [undefined, null, '']) {
      expect(start({ customerReference: 'u-1', signature, email: 'a@example.com' })).toStrictEqual({
        customerReference: 'u-1',
        signed: false,
        email: 'a@example.com',
      });
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
