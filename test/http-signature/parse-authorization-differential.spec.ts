import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowWebhookVerificationError } from '../../lib/index.js';
import {
  parseAuthorizationParameters,
  parseFlowAuthorization,
} from '../../lib/http-signature/parse-authorization.js';
import { EXAMPLE_WEBHOOK } from '../fixtures/flow-protocol.js';

/** What a parser answers: the parameters, or the refusal's reason and message. */
function answer(parse: (value: string) => unknown, value: string): unknown {
  try {
    return { parsed: parse(value) };
  } catch (error) {
    if (!(error instanceof FlowWebhookVerificationError)) throw error;
    return { reason: error.reason, message: error.message };
  }
}

// Values near the edges of what a quoted value may hold: printable ASCII, and the characters the
// grammar refuses (quote, backslash, controls, DEL, non-ASCII).
const character = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom('a', 'Z', '0', '-', '_', '(', ')', ' ', '=', '+', '/', ','),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('"', '\\', '\t', '\n', '\u0000', '\u007f', 'é', '\u2028'),
  },
);
const quotedValue = fc.string({ unit: character, maxLength: 12 });
const name = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('keyId', 'algorithm', 'headers', 'signature') },
  { weight: 1, arbitrary: fc.constantFrom('KeyId', 'extra', 'key-id', '', 'keyId ') },
);
const separator = fc.constantFrom(',', ',', ',', ', ', ',  ', '', ';', ' ,');
const parameter = fc
  .tuple(name, quotedValue, fc.constantFrom('="', '= "', '=', '"'))
  .map(([key, text, opening]) => `${key}${opening}${text}${opening.endsWith('"') ? '"' : ''}`);
// Mostly Cognito's own layout (the fast path's input), then any order, count and spelling.
const cognitoLayout = fc
  .tuple(quotedValue, quotedValue, quotedValue, quotedValue)
  .map(
    ([keyId, algorithm, headers, signature]) =>
      `Signature keyId="${keyId}",algorithm="${algorithm}",headers="${headers}",signature="${signature}"`,
  );
const anyLayout = fc
  .tuple(
    fc.constantFrom('Signature ', 'Signature', 'signature ', 'Signature  ', 'Bearer '),
    fc.array(fc.tuple(parameter, separator), { maxLength: 6 }),
    fc.constantFrom('', ',', ' ', '\n'),
  )
  .map(
    ([scheme, parts, tail]) =>
      scheme + parts.map(([text, sep], i) => (i === 0 ? text : sep + text)).join('') + tail,
  );
// One character of the documented header changed, dropped or doubled.
const documented = EXAMPLE_WEBHOOK.authorization;
const nearDocumented = fc
  .tuple(fc.nat(documented.length - 1), character, fc.constantFrom('replace', 'drop', 'double'))
  .map(([at, c, edit]) =>
    edit === 'replace'
      ? documented.slice(0, at) + c + documented.slice(at + 1)
      : edit === 'drop'
        ? documented.slice(0, at) + documented.slice(at + 1)
        : documented.slice(0, at + 1) + documented.slice(at),
  );

describe("parseFlowAuthorization's fast path for Cognito's layout against the general parser", () => {
  it('gives the same parameters or the same refusal for every header', () => {
    fc.assert(
      fc.property(fc.oneof(cognitoLayout, anyLayout, nearDocumented, fc.string()), (value) => {
        expect(answer(parseFlowAuthorization, value)).toEqual(
          answer(parseAuthorizationParameters, value),
        );
      }),
      { numRuns: 3_000 },
    );
  });

  it("reads the documented header on both paths, Cognito's layout being the fast one", () => {
    const expected = {
      parsed: {
        keyId: EXAMPLE_WEBHOOK.keyId,
        algorithm: 'hmac-sha256',
        headers: '(request-target) date digest',
        signature: EXAMPLE_WEBHOOK.signature,
      },
    };
    expect(answer(parseFlowAuthorization, documented)).toEqual(expected);
    expect(answer(parseAuthorizationParameters, documented)).toEqual(expected);
  });
});
