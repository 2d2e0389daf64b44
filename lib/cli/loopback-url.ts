import { CliUsageError } from './cli-errors.js';

// The URL parser has already normalised every IPv4 spelling (`0x7f.1`, `2130706433`) to dotted decimal.
const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * True for the exact name `localhost`, 127.0.0.0/8 and `[::1]`, as the WHATWG URL parser spells a
 * hostname. Any other name (`localhost.`, `foo.localhost`) is resolved through DNS, so whoever
 * answers DNS would choose where a signed delivery goes: it is not loopback.
 */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || IPV4_LOOPBACK.test(host);
}

/**
 * Where to connect for `url`, without any name lookup: `localhost` becomes 127.0.0.1, then
 * [::1]; every other URL is used as it is.
 */
export function loopbackAddresses(url: URL): URL[] {
  if (url.hostname.toLowerCase() !== 'localhost') return [url];
  return ['127.0.0.1', '[::1]'].map((address) => {
    const copy = new URL(url.href);
    copy.hostname = address;
    return copy;
  });
}

/**
 * Parses a receiver URL and refuses, before any network use, one whose host is not loopback
 * unless `allowRemote`: a validly signed delivery sent to the wrong receiver changes a real
 * user's verification status (a `success` event marks them verified).
 */
export function parseReceiverUrl(raw: string, allowRemote: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliUsageError(
      'invalid_url',
      "<url> is not an absolute URL; use e.g. 'http://127.0.0.1:3000/webhook_receivers/flow'.",
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliUsageError('invalid_url', `<url> must be http: or https:, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new CliUsageError('invalid_url', '<url> must not contain a user name or password.');
  }
  if (!allowRemote && !isLoopbackHostname(url.hostname)) {
    throw new CliUsageError(
      'remote_url',
      `Refusing to send to ${url.host}: it is not a loopback address (localhost, 127.0.0.0/8, ::1). ` +
        "A delivery signed with your API secret is as good as Cognito's own: sent to a receiver that " +
        'shares the secret, a success event marks a real user as verified. Nothing was sent. If this ' +
        'receiver is yours and runs with test keys, repeat the command with --allow-remote.',
    );
  }
  return url;
}
