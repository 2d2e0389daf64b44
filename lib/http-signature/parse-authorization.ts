import { FlowWebhookVerificationError } from './flow-webhook-verification.error.js';

/** The parameters of a `Signature` Authorization header, as sent (not yet checked for meaning). */
export interface FlowAuthorizationParameters {
  /** `keyId`: the API key id. */
  keyId?: string;
  /** `algorithm`: must be `hmac-sha256`. */
  algorithm?: string;
  /** `headers`: the space-separated list of signed headers. */
  headers?: string;
  /** `signature`: base64 of the HMAC. */
  signature?: string;
}

const SCHEME = 'Signature ';
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const SPACE = 0x20;
const MAX_SIGNED_HEADERS = 16;

// A quoted value as the general parser accepts it: printable ASCII without `"` or `\`.
const QUOTED = '"([\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*)"';
// Cognito's exact layout, read in one pass: no group can match a quote, so nothing backtracks.
// Anything else (other order, spaces after commas, a bad character) goes to the general parser,
// which accepts the same values and gives the precise refusal. Kept because it saves about a
// fifth of a whole verification over the general parser (docs/benchmarks.md); a
// differential property test pins the two to the same answers.
const COGNITO_LAYOUT = new RegExp(
  `^Signature keyId=${QUOTED},algorithm=${QUOTED},headers=${QUOTED},signature=${QUOTED}$`,
);

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function malformed(why: string): FlowWebhookVerificationError {
  return new FlowWebhookVerificationError('malformed_authorization', `Authorization ${why}.`);
}

/**
 * Parses `Signature name="value",name="value"…`. Strict: the scheme is exactly `Signature` and
 * one space; every value is quoted printable ASCII without backslashes; parameters are separated
 * by a comma and optional spaces; no parameter twice; only keyId, algorithm, headers and
 * signature. Cognito's own layout is read with one regex, anything else by the general parser.
 * @throws FlowWebhookVerificationError with the reason of the first violation.
 */
export function parseFlowAuthorization(value: string): FlowAuthorizationParameters {
  const cognito = COGNITO_LAYOUT.exec(value);
  if (cognito !== null)
    return { keyId: cognito[1], algorithm: cognito[2], headers: cognito[3], signature: cognito[4] };
  return parseAuthorizationParameters(value);
}

/**
 * The general parser behind {@link parseFlowAuthorization}: one left-to-right pass, no regex, no
 * backtracking, the same answers for every input (not exported from the package).
 * @throws FlowWebhookVerificationError with the reason of the first violation.
 */
export function parseAuthorizationParameters(value: string): FlowAuthorizationParameters {
  if (!value.startsWith(SCHEME)) {
    const space = value.indexOf(' ');
    const scheme = space === -1 ? value : value.slice(0, space);
    if (scheme === 'Signature') throw malformed('has no parameters after the Signature scheme');
    throw new FlowWebhookVerificationError('unsupported_scheme');
  }
  const result: FlowAuthorizationParameters = {};
  const length = value.length;
  let i = SCHEME.length;
  for (;;) {
    const nameStart = i;
    while (i < length && isLetter(value.charCodeAt(i))) i++;
    if (i === nameStart)
      throw malformed('has an empty parameter name, a stray comma or stray spaces');
    const name = value.slice(nameStart, i);
    if (value.charCodeAt(i) !== EQUALS) throw malformed(`parameter ${name} is not followed by =`);
    i++;
    if (value.charCodeAt(i) !== QUOTE) throw malformed(`parameter ${name} has an unquoted value`);
    i++;
    const valueStart = i;
    for (;;) {
      if (i >= length) throw malformed(`parameter ${name} has an unterminated quoted value`);
      const code = value.charCodeAt(i);
      if (code === QUOTE) break;
      if (code < 0x20 || code > 0x7e || code === BACKSLASH) {
        throw malformed(`parameter ${name} contains a control, non-ASCII or escape character`);
      }
      i++;
    }
    const parameter = value.slice(valueStart, i);
    i++;
    if (name === 'keyId' || name === 'algorithm' || name === 'headers' || name === 'signature') {
      if (result[name] !== undefined) {
        throw new FlowWebhookVerificationError(
          'duplicate_parameter',
          `Authorization repeats ${name}.`,
        );
      }
      result[name] = parameter;
    } else {
      throw new FlowWebhookVerificationError(
        'unknown_parameter',
        `Authorization has an unsupported parameter ${name}.`,
      );
    }
    if (i === length) return result;
    if (value.charCodeAt(i) !== COMMA) throw malformed('parameters must be separated by commas');
    i++;
    while (value.charCodeAt(i) === SPACE) i++;
    if (i === length) throw malformed('ends with a stray comma');
  }
}

/** The header names a `headers` parameter lists, checked: no empty or repeated names, lower case. */
export function parseSignedHeaders(list: string | undefined): readonly string[] {
  if (list === undefined || list === '') {
    throw new FlowWebhookVerificationError(
      'invalid_signed_headers',
      'The headers parameter is missing or empty.',
    );
  }
  const names = list.split(' ');
  // Cognito signs three; a long list only costs time (the repeat check below is quadratic).
  if (names.length > MAX_SIGNED_HEADERS) {
    throw new FlowWebhookVerificationError(
      'invalid_signed_headers',
      `The headers parameter lists more than ${MAX_SIGNED_HEADERS} names.`,
    );
  }
  let target = false;
  let date = false;
  let digest = false;
  for (let n = 0; n < names.length; n++) {
    const name = names[n];
    if (name === '') {
      throw new FlowWebhookVerificationError(
        'invalid_signed_headers',
        'The headers parameter has an empty name.',
      );
    }
    if (name.charCodeAt(0) === 0x28 /* ( */ && name !== '(request-target)') {
      throw new FlowWebhookVerificationError(
        'unsupported_pseudo_header',
        'Only the (request-target) pseudo-header is accepted.',
      );
    }
    if (name !== '(request-target)' && !isLowerCaseToken(name)) {
      throw new FlowWebhookVerificationError(
        'invalid_signed_headers',
        'The headers parameter lists a name that is not a lower-case header name.',
      );
    }
    if (names.indexOf(name) !== n) {
      throw new FlowWebhookVerificationError(
        'invalid_signed_headers',
        'The headers parameter repeats a name.',
      );
    }
    if (name === '(request-target)') target = true;
    else if (name === 'date') date = true;
    else if (name === 'digest') digest = true;
  }
  if (!target || !date || !digest)
    throw new FlowWebhookVerificationError('unsigned_required_header');
  return names;
}

// RFC 9110 tchar, without upper-case letters (signed header names are lower case by definition).
function isLowerCaseToken(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok =
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x5f ||
      c === 0x21 ||
      c === 0x23 ||
      c === 0x24 ||
      c === 0x25 ||
      c === 0x26 ||
      c === 0x27 ||
      c === 0x2a ||
      c === 0x2b ||
      c === 0x5e ||
      c === 0x60 ||
      c === 0x7c ||
      c === 0x7e;
    if (!ok) return false;
  }
  return true;
}
