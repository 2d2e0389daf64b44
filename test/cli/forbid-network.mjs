// Preloaded with `node --import` into a CLI run that must not use the network: every way out
// (fetch, TCP connect, DNS) writes a marker to stderr and throws instead of connecting.
import dns from 'node:dns';
import net from 'node:net';

const MARKER = 'FORBIDDEN NETWORK USE';

function forbidden(what) {
  process.stderr.write(`${MARKER}: ${what}\n`);
  throw new Error(`${MARKER}: ${what}`);
}

globalThis.fetch = async (input) => forbidden(`fetch ${String(input)}`);
net.Socket.prototype.connect = function connect() {
  return forbidden('net.Socket.connect');
};
dns.lookup = (host) => forbidden(`dns.lookup ${host}`);
dns.promises.lookup = async (host) => forbidden(`dns.promises.lookup ${host}`);
