import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowVerificationError, parseFlowAuthorization } from '../../lib/protocol/index.js';
import { EXAMPLE_WEBHOOK } from '../fixtures/flow-protocol.js';

// Every character a quoted value may hold: printable ASCII but `"` and `\`.
const allowed = [...Array(0x7f - 0x20).keys()]
  .map((i) => String.fromCharCode(0x20 + i))
  .filter((c) => c !== '"' && c !== '\\');
const value = fc.string({ unit: fc.constantFrom(...allowed), maxLength: 60 });
const forbidden = fc.constantFrom('\\', '\u0000', '\n', '\r', '\t', '\u007f', 'é', '\u2028');

function header(
  keyId: string,
  algorithm: string,
  headers: string,
  signature: string,
  separator = ',',
): string {
  return `Signature keyId="${keyId}"${separator}algorithm="${algorithm}"${separator}headers="${headers}"${separator}signature="${signature}"`;
}

function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof FlowVerificationError ? error.reason : `unexpected ${String(error)}`;
  }
}

describe("parseFlowAuthorization on Cognito's own layout", () => {
  it('reads the documented header', () => {
    expect(parseFlowAuthorization(EXAMPLE_WEBHOOK.authorization)).toEqual({
      keyId: EXAMPLE_WEBHOOK.keyId,
      algorithm: 'hmac-sha256',
      headers: '(request-target) date digest',
      signature: EXAMPLE_WEBHOOK.signature,
    });
  });

  it('reads any allowed values exactly, the same as with spaces after the commas', () => {
    fc.assert(
      fc.property(value, value, value, value, (keyId, algorithm, headers, signature) => {
        const expected = { keyId, algorithm, headers, signature };
        expect(parseFlowAuthorization(header(keyId, algorithm, headers, signature))).toEqual(
          expected,
        );
        expect(parseFlowAuthorization(header(keyId, algorithm, headers, signature, ', '))).toEqual(
          expected,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a control, non-ASCII or escape character in any value as malformed', () => {
    fc.assert(
      fc.property(value, forbidden, fc.nat(3), (text, bad, slot) => {
        const values = [
          EXAMPLE_WEBHOOK.keyId,
          'hmac-sha256',
          '(request-target) date digest',
          EXAMPLE_WEBHOOK.signature,
        ];
        values[slot] = `${text}${bad}${text}`;
        expect(
          reasonOf(() =>
            parseFlowAuthorization(header(values[0], values[1], values[2], values[3])),
          ),
        ).toBe('malformed_authorization');
      }),
      { numRuns: 300 },
    );
  });

  it('refuses the layout with anything after the last quote or a parameter twice', () => {
    expect(reasonOf(() => parseFlowAuthorization(`${EXAMPLE_WEBHOOK.authorization},`))).toBe(
      'malformed_authorization',
    );
    expect(reasonOf(() => parseFlowAuthorization(`${EXAMPLE_WEBHOOK.authorization}\n`))).toBe(
      'malformed_authorization',
    );
    expect(
      reasonOf(() => parseFlowAuthorization(`${EXAMPLE_WEBHOOK.authorization},keyId="x"`)),
    ).toBe('duplicate_parameter');
  });
});
