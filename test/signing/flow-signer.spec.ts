import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowModule, FlowSigner, InvalidCustomerReferenceError } from '../../lib/index.js';
import {
  CANONICAL_SIGNATURE_PATTERN,
  EXAMPLE_CUSTOMER_REFERENCE,
  EXAMPLE_SECRET,
  EXAMPLE_SIGNATURE,
  EXAMPLE_WEBHOOK,
} from '../fixtures/flow-protocol.js';
import { generateSecret } from '../support/test-secrets.js';

async function signerFor(apiSecret: string, previousApiSecrets?: string[]): Promise<FlowSigner> {
  const moduleRef = await Test.createTestingModule({
    imports: [FlowModule.forRoot({ apiSecret, previousApiSecrets })],
  }).compile();
  return moduleRef.get(FlowSigner);
}

const signer = await signerFor(EXAMPLE_SECRET);

// Printable references as real ids look: any unicode except the control characters the signer refuses.
const validReference = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 64 })
  .filter((s) => !/[^\P{Cc}\u0080-\u009f]/u.test(s) && s.length > 0);

describe('FlowSigner.sign', () => {
  it('reproduces the known answer of the protocol', () => {
    expect(signer.sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);
  });

  it('equals node:crypto HMAC-SHA256 for arbitrary references', () => {
    fc.assert(
      fc.property(validReference, (ref) => {
        const expected = createHmac('sha256', EXAMPLE_SECRET).update(ref, 'utf8').digest('base64');
        expect(signer.sign(ref)).toBe(expected);
      }),
    );
  });

  it('refuses a complete webhook signing string (it contains newlines)', () => {
    expect(() => signer.sign(EXAMPLE_WEBHOOK.signingString)).toThrow(InvalidCustomerReferenceError);
    try {
      signer.sign(EXAMPLE_WEBHOOK.signingString);
    } catch (error) {
      expect((error as InvalidCustomerReferenceError).reason).toBe('control_character');
      expect((error as Error).message).not.toContain('request-target');
    }
  });

  it.each([
    ['\n', 'control_character'],
    ['\r', 'control_character'],
    ['\u0000', 'control_character'],
    ['\u001f', 'control_character'],
    ['\u007f', 'control_character'],
    ['\t', 'control_character'],
  ])('refuses a reference containing %j', (ch, reason) => {
    for (const ref of [`${ch}`, `user${ch}`, `${ch}user`, `us${ch}er`]) {
      expect(() => signer.sign(ref)).toThrowError(expect.objectContaining({ reason }));
    }
  });

  it('refuses every reference with any control character (property)', () => {
    const control = fc
      .integer({ min: 0, max: 0x20 })
      .map((c) => String.fromCharCode(c === 0x20 ? 0x7f : c));
    fc.assert(
      fc.property(fc.string(), control, fc.string(), (a, c, b) => {
        expect(() => signer.sign(a + c + b)).toThrow(InvalidCustomerReferenceError);
      }),
    );
  });

  it('refuses a reference with a lone surrogate, which UTF-8 would sign like another reference', () => {
    // Both lone surrogates encode as U+FFFD's bytes: without the refusal, three ids share one signature.
    const replaced = createHmac('sha256', EXAMPLE_SECRET)
      .update('user\ufffd', 'utf8')
      .digest('base64');
    expect(createHmac('sha256', EXAMPLE_SECRET).update('user\ud800', 'utf8').digest('base64')).toBe(
      replaced,
    );
    for (const ref of [
      'user\ud800',
      'user\udfff',
      '\udc00user',
      'a\udbff\ud800',
      'x\udc00\ud800y',
    ]) {
      expect(() => signer.sign(ref)).toThrowError(
        expect.objectContaining({ reason: 'lone_surrogate' }),
      );
    }
    expect(signer.verify('user\ud800', replaced)).toBe(false);
    expect(signer.verify('user\udfff', replaced)).toBe(false);
    expect(signer.verify('user\ufffd', replaced)).toBe(true);
    // A well-formed pair outside the BMP is an ordinary character.
    expect(signer.sign('user\ud83d\ude00')).toBe(
      createHmac('sha256', EXAMPLE_SECRET).update('user\u{1f600}', 'utf8').digest('base64'),
    );
  });

  it('never lets one signature stand for two references that differ by a lone surrogate (property)', () => {
    const text = fc
      .string({ unit: 'grapheme', maxLength: 12 })
      .filter((s) => !/[^\P{Cc}\u0080-\u009f]/u.test(s));
    const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(text, surrogate, surrogate, text, (before, one, other, after) => {
        fc.pre(one !== other);
        let signature: string;
        try {
          signature = signer.sign(before + one + after);
        } catch {
          return true;
        }
        return !signer.verify(before + other + after, signature);
      }),
    );
  });

  it('refuses empty, non-string and over-long references', () => {
    expect(() => signer.sign('')).toThrowError(expect.objectContaining({ reason: 'empty' }));
    for (const value of [undefined, null, 4.2, 2 ** 53, Number.NaN, 42n, {}, ['a']]) {
      expect(() => signer.sign(value as string)).toThrowError(
        expect.objectContaining({ reason: 'not_string' }),
      );
    }
    expect(signer.sign('a'.repeat(1024))).toMatch(CANONICAL_SIGNATURE_PATTERN);
    expect(() => signer.sign('a'.repeat(1025))).toThrowError(
      expect.objectContaining({ reason: 'too_long' }),
    );
    // 342 three-byte characters are 1026 bytes although only 342 UTF-16 units.
    expect(() => signer.sign('€'.repeat(342))).toThrowError(
      expect.objectContaining({ reason: 'too_long' }),
    );
    expect(signer.sign('€'.repeat(341))).toMatch(CANONICAL_SIGNATURE_PATTERN);
  });

  it('signs a safe integer over its decimal string, as Flow does with currentUser.id', () => {
    // Known answers computed here with node:crypto over the decimal text, never by the signer.
    const over = (text: string) =>
      createHmac('sha256', EXAMPLE_SECRET).update(text, 'utf8').digest('base64');
    expect(signer.sign(42)).toBe(over('42'));
    expect(signer.sign(42)).toBe(signer.sign('42'));
    expect(signer.sign(0)).toBe(over('0'));
    expect(signer.sign(-7)).toBe(over('-7'));
    expect(signer.sign(Number.MAX_SAFE_INTEGER)).toBe(over('9007199254740991'));
    expect(signer.verify(42, over('42'))).toBe(true);
    expect(signer.verify('42', signer.sign(42))).toBe(true);
    expect(signer.verify(43, over('42'))).toBe(false);
  });

  it('refuses numbers that are not safe integers, naming the rule', () => {
    for (const value of [4.2, 2 ** 53, -(2 ** 53), Number.NaN, Infinity]) {
      expect(() => signer.sign(value)).toThrowError(/safe integer/);
      expect(() => signer.sign(value)).toThrowError(
        expect.objectContaining({ reason: 'not_string' }),
      );
      expect(signer.verify(value, over42())).toBe(false);
    }
  });
});

function over42(): string {
  return createHmac('sha256', EXAMPLE_SECRET).update('42', 'utf8').digest('base64');
}

describe('FlowSigner.verify', () => {
  it('accepts the known answer', () => {
    expect(signer.verify(EXAMPLE_CUSTOMER_REFERENCE, EXAMPLE_SIGNATURE)).toBe(true);
  });

  it('round-trips for arbitrary valid references', () => {
    fc.assert(fc.property(validReference, (ref) => signer.verify(ref, signer.sign(ref))));
  });

  it('is false when the reference changes', () => {
    fc.assert(
      fc.property(validReference, validReference, (a, b) => {
        fc.pre(a !== b);
        return !signer.verify(b, signer.sign(a));
      }),
    );
  });

  it('is false when any one character of the signature changes', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
    fc.assert(
      fc.property(validReference, fc.nat(43), fc.constantFrom(...alphabet), (ref, index, ch) => {
        const good = signer.sign(ref);
        fc.pre(good[index] !== ch);
        const bad = good.slice(0, index) + ch + good.slice(index + 1);
        return !signer.verify(ref, bad);
      }),
    );
  });

  it('is false under another secret', async () => {
    const other = await signerFor(generateSecret());
    fc.assert(fc.property(validReference, (ref) => !other.verify(ref, signer.sign(ref))));
  });

  it('never throws on arbitrary input and accepts only the canonical base64 spelling', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (ref, sig) => {
        expect(signer.verify(ref as string, sig as string)).toBe(false);
      }),
    );
    // Every spelling base64 decoders read as the same 32 bytes: only the canonical one verifies.
    const b64chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    fc.assert(
      fc.property(validReference, (ref) => {
        const canonical = createHmac('sha256', EXAMPLE_SECRET).update(ref, 'utf8').digest('base64');
        const last = b64chars.indexOf(canonical[42]);
        const spellings = [0, 1, 2, 3].map(
          (low) => `${canonical.slice(0, 42)}${b64chars[(last & ~3) | low]}=`,
        );
        for (const spelling of [
          ...spellings,
          canonical.slice(0, 43),
          `${canonical}=`,
          `${canonical}\n`,
          ` ${canonical}`,
        ]) {
          expect(Buffer.from(spelling, 'base64').equals(Buffer.from(canonical, 'base64'))).toBe(
            true,
          );
          expect(signer.verify(ref, spelling)).toBe(spelling === canonical);
        }
      }),
    );
    // The same 32 bytes spelled with non-zero padding bits: base64 decoders accept it, we do not.
    const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const loose =
      EXAMPLE_SIGNATURE.slice(0, 42) + b64[b64.indexOf(EXAMPLE_SIGNATURE[42]) + 1] + '=';
    expect(Buffer.from(loose, 'base64').equals(Buffer.from(EXAMPLE_SIGNATURE, 'base64'))).toBe(
      true,
    );
    expect(signer.verify(EXAMPLE_CUSTOMER_REFERENCE, loose)).toBe(false);
    expect(signer.verify(EXAMPLE_CUSTOMER_REFERENCE, EXAMPLE_SIGNATURE.slice(0, 43))).toBe(false);
    expect(signer.verify(EXAMPLE_CUSTOMER_REFERENCE, `${EXAMPLE_SIGNATURE}\n`)).toBe(false);
    expect(signer.verify(`${EXAMPLE_CUSTOMER_REFERENCE}\n`, EXAMPLE_SIGNATURE)).toBe(false);
  });

  it('accepts signatures of a previous secret but signs only with the current one', async () => {
    const current = generateSecret('live');
    const rotating = await signerFor(current, [EXAMPLE_SECRET]);
    expect(rotating.verify(EXAMPLE_CUSTOMER_REFERENCE, EXAMPLE_SIGNATURE)).toBe(true);
    expect(rotating.sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(
      createHmac('sha256', current).update(EXAMPLE_CUSTOMER_REFERENCE).digest('base64'),
    );
    expect(rotating.sign(EXAMPLE_CUSTOMER_REFERENCE)).not.toBe(EXAMPLE_SIGNATURE);
  });
});
