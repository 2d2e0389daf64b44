import { describe, expect, it } from 'vitest';
import { FlowVerificationError, verifyFlowWebhook } from '../../lib/protocol/index.js';
import { testRequest } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const options = { secrets: [secret] };

function withContentType(value: string, encoding?: string): unknown {
  const request = testRequest({ secret });
  const headers: Record<string, string> = { ...(request.headers as Record<string, string>) };
  headers['content-type'] = value;
  if (encoding !== undefined) headers['content-encoding'] = encoding;
  try {
    return verifyFlowWebhook({ ...request, headers }, options).id;
  } catch (error) {
    return error instanceof FlowVerificationError ? error.reason : error;
  }
}

describe('Content-Type and Content-Encoding, framework-free', () => {
  it.each([
    'application/json',
    'APPLICATION/json',
    'application/json;charset=utf-8',
    'application/json ;\tcharset=UTF-8\t',
    ' \tapplication/json',
    'application/json; charset="utf-8"',
    'application/json; charset="utf\\-8"',
  ])('accepts %j', (value) => {
    expect(withContentType(value)).toBe('whkevt_0123456789abcd');
  });

  it.each([
    '',
    'application/json\u00a0',
    '\u00a0application/json',
    '\u2028application/json',
    'application/json\u3000; charset=utf-8',
    'application/json\r',
    'application/json\v',
    'application / json',
    'application/json;',
    'application/json; ',
    'application/json;;charset=utf-8',
    'application/json; charset',
    'application/json; charset=',
    'application/json; charset = utf-8',
    'application/json; charset=utf-8 x',
    'application/json; charset="utf-8',
    'application/json; charset="utf-8\u00e9"',
    'application/json; charset=utf8',
    'application/json; charset=utf-7',
    'application/json; charset=utf-8; charset=utf-8',
    'application/json; boundary=x',
  ])('refuses %j as unsupported_content_type', (value) => {
    expect(withContentType(value)).toBe('unsupported_content_type');
  });

  it('trims only space and tab around Content-Encoding', () => {
    expect(withContentType('application/json', ' identity\t')).toBe('whkevt_0123456789abcd');
    expect(withContentType('application/json', '\u00a0identity')).toBe(
      'unsupported_content_encoding',
    );
    expect(withContentType('application/json', 'identity\u2028')).toBe(
      'unsupported_content_encoding',
    );
  });
});
