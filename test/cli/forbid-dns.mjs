// Preloaded with `node --import` into a CLI run that may connect but must never resolve a name:
// every DNS entry point writes a marker to stderr and throws instead of asking a resolver.
import dns from 'node:dns';

const MARKER = 'FORBIDDEN DNS LOOKUP';

function forbidden(what) {
  process.stderr.write(`${MARKER}: ${what}\n`);
  throw new Error(`${MARKER}: ${what}`);
}

dns.lookup = (host) => forbidden(`dns.lookup ${host}`);
dns.promises.lookup = async (host) => forbidden(`dns.promises.lookup ${host}`);
dns.resolve = (host) => forbidden(`dns.resolve ${host}`);
dns.promises.resolve = async (host) => forbidden(`dns.promises.resolve ${host}`);
