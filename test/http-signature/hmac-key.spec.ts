import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256Key } from '../../lib/http-signature/hmac-key.js';
import {
  EXAMPLE_CUSTOMER_REFERENCE,
  EXAMPLE_SECRET,
  EXAMPLE_SIGNATURE,
  EXAMPLE_WEBHOOK,
} from '../fixtures/flow-protocol.js';

describe('hmacSha256Key', () => {
  it('reproduces the documented signatures with the 76-byte example secret', () => {
    const key = hmacSha256Key(EXAMPLE_SECRET);
    expect(createHmac('sha256', key).update(EXAMPLE_CUSTOMER_REFERENCE).digest('base64')).toBe(
      EXAMPLE_SIGNATURE,
    );
    expect(createHmac('sha256', key).update(EXAMPLE_WEBHOOK.signingString).digest('base64')).toBe(
      EXAMPLE_WEBHOOK.signature,
    );
  });

  it('gives the MAC of the raw secret for every length around the 64-byte block, ASCII and not', () => {
    for (let length = 1; length <= 140; length++) {
      for (const secret of [
        randomBytes(length).toString('hex').slice(0, length),
        'é'.repeat(length),
      ]) {
        const message = randomBytes(40).toString('base64');
        const expected = createHmac('sha256', secret).update(message).digest('base64');
        expect(createHmac('sha256', hmacSha256Key(secret)).update(message).digest('base64')).toBe(
          expected,
        );
      }
    }
  });
});
