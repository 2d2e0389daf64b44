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
