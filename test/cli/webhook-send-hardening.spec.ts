import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSecret } from '../support/test-secrets.js';
import { runBuiltCli } from './run-built-cli.js';

const FORBID_DNS = fileURLToPath(new URL('./forbid-dns.mjs', import.meta.url));
const FORBID_NETWORK = fileURLToPath(new URL('./forbid-network.mjs', import.meta.url));
const ARGS = ['--event', 'flow_session.status.updated', '--customer-reference', 'u'];

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

/** A receiver on one loopback address that answers every delivery with `status` and `body`. */
async function receiver(
  host: string,
  status: number,
  body: Buffer | string,
): Promise<{ port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.headers.host ?? '');
    request.resume();
    request.on('end', () => {
      response.statusCode = status;
      response.end(body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { port: (server.address() as AddressInfo).port, hits };
}

const send = (url: string, nodeArgs: string[], extra: string[] = []) =>
  runBuiltCli(['webhook', 'send', url, ...ARGS, ...extra], {
    env: { FLOW_API_SECRET: generateSecret() },
    nodeArgs,
  });

describe('webhook send: what counts as loopback', () => {
  it('sends to localhost as 127.0.0.1 without any name lookup', async () => {
    const target = await receiver('127.0.0.1', 204, '');
    const run = await send(`http://localhost:${target.port}/hook`, ['--import', FORBID_DNS]);
    expect(run.stderr).not.toMatch(/FORBIDDEN DNS LOOKUP/);
    expect(run.code).toBe(0);
    expect(target.hits).toEqual([`127.0.0.1:${target.port}`]);
  });

  it('falls back to [::1] for localhost when 127.0.0.1 refuses, still without a lookup', async () => {
    const target = await receiver('::1', 204, '');
    const run = await send(`http://localhost:${target.port}/hook`, ['--import', FORBID_DNS]);
    expect(run.stderr).not.toMatch(/FORBIDDEN DNS LOOKUP/);
    expect(run.code).toBe(0);
    expect(target.hits).toEqual([`[::1]:${target.port}`]);
  });

  it.each(['http://localhost./hook', 'http://LOCALHOST./hook', 'http://api.localhost/hook'])(
    'refuses %s (a DNS name) before any network use unless --allow-remote',
    async (url) => {
      const run = await send(url, ['--import', FORBID_NETWORK]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/not a loopback address/);
      expect(run.stderr).not.toMatch(/FORBIDDEN NETWORK USE/);
      const allowed = await send(url, ['--import', FORBID_NETWORK], ['--allow-remote']);
      expect(allowed.stderr).toMatch(/FORBIDDEN NETWORK USE: fetch/);
    },
  );
});

describe('webhook send: what a receiver answers is printed inert', () => {
  it("escapes terminal controls in the receiver's error body", async () => {
    const hostile =
      'denied \x1b[31mRED\x1b[0m \x1b]0;owned\x07 \x9b2J back\x08\x08 \u202eevil\u202c \rDone 200 OK';
    const target = await receiver('127.0.0.1', 400, Buffer.from(hostile, 'utf8'));
    const run = await send(`http://127.0.0.1:${target.port}/hook`, []);
    expect(run.code).toBe(1);
    for (let code = 0; code < 0x20; code++) {
      if (code === 0x0a) continue; // the CLI's own line ends
      expect(run.stdout).not.toContain(String.fromCharCode(code));
    }
    expect(run.stdout).not.toMatch(/[\u007f-\u009f\u202a-\u202e]/);
    expect(run.stdout).toContain(
      'denied \\x1b[31mRED\\x1b[0m \\x1b]0;owned\\x07 \\x9b2J back\\x08\\x08 \\u202eevil\\u202c Done 200 OK',
    );
  });
});
