// The URL parser has already normalised every IPv4 spelling (`0x7f.1`, `2130706433`) to dotted decimal.
const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * The names a client reaches a loopback service by, as the URL parser spells them: the ones the
 * emulator answers to, and under which a loopback page's origin is known.
 */
export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The origins of a loopback service under each of {@link LOOPBACK_NAMES}: `protocol` as `URL`
 * spells it (`http:`), `port` as digits, or empty for the scheme's default.
 */
export function loopbackOrigins(protocol: string, port: string): string[] {
  const suffix = port === '' ? '' : `:${port}`;
  return LOOPBACK_NAMES.map((name) => `${protocol}//${name}${suffix}`);
}

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

/** Why a receiver URL is refused: see {@link checkReceiverUrl}. */
export type ReceiverUrlProblem = 'not_absolute' | 'not_http' | 'credentials' | 'not_loopback';

/**
 * The one rule for where a signed delivery may go (the CLI's `webhook send`, the emulator's
 * `webhookUrl`): an absolute http(s) URL without a user name or password, on a loopback host
 * unless `allowRemote`. A validly signed delivery sent to the wrong receiver changes a real
 * user's verification status. Each caller words the refusal for its own audience.
 */
export function checkReceiverUrl(
  raw: string,
  allowRemote: boolean,
): { url: URL; problem?: undefined } | { url?: URL; problem: ReceiverUrlProblem } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'not_absolute' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { url, problem: 'not_http' };
  if (url.username !== '' || url.password !== '') return { problem: 'credentials' };
  if (!allowRemote && !isLoopbackHostname(url.hostname)) return { url, problem: 'not_loopback' };
  return { url };
}
