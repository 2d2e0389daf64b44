import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../../lib/cli/cli-errors.js';
import { parseReceiverUrl } from '../../lib/cli/receiver-url.js';
import { loopbackAddresses } from '../../lib/delivery/loopback-url.js';

describe('parseReceiverUrl', () => {
  it.each([
    'http://127.0.0.1:3000/webhook_receivers/flow',
    'http://127.255.10.1/x',
    'http://localhost:3000/x',
    'http://LOCALHOST/x',
    'http://[::1]:3000/x',
    'http://[0:0:0:0:0:0:0:1]/x',
    // Other spellings of 127.0.0.1, which the URL parser normalises before the check.
    'http://2130706433/x',
    'http://0x7f.1/x',
    'https://127.0.0.1/x',
  ])('accepts loopback %s', (url) => {
    expect(parseReceiverUrl(url, false).href).toBe(new URL(url).href);
  });

  it.each([
    'http://example.com/x',
    'http://128.0.0.1/x',
    'http://10.0.0.1/x',
    'http://0.0.0.0/x',
    'http://127.0.0.1.nip.io/x',
    'http://localhost.example.com/x',
    // Names that DNS answers for: whoever answers chooses where the delivery goes.
    'http://localhost./x',
    'http://LocalHost./x',
    'http://api.localhost/x',
    'http://[::2]/x',
    'http://[::ffff:127.0.0.1]/x',
    'http://192.168.1.10:3000/x',
  ])('refuses %s unless remote hosts are allowed', (url) => {
    expect(() => parseReceiverUrl(url, false)).toThrowError(
      expect.objectContaining({ code: 'remote_url' }),
    );
    expect(parseReceiverUrl(url, true).href).toBe(new URL(url).href);
  });

  it.each([
    'not a url',
    '/relative/path',
    'ftp://127.0.0.1/x',
    'file:///etc/passwd',
    'http://user:pass@127.0.0.1/x',
  ])('refuses %s as a usage error', (url) => {
    expect(() => parseReceiverUrl(url, true)).toThrow(CliUsageError);
  });

  it('maps localhost to 127.0.0.1 then [::1], keeping port, path and query; other hosts stay', () => {
    expect(loopbackAddresses(new URL('http://localhost:3000/a?b=c')).map(String)).toEqual([
      'http://127.0.0.1:3000/a?b=c',
      'http://[::1]:3000/a?b=c',
    ]);
    expect(loopbackAddresses(new URL('http://127.0.0.2:1/x')).map(String)).toEqual([
      'http://127.0.0.2:1/x',
    ]);
  });
});
