import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/run-cli.js';
import { sendDelivery, signDelivery } from '../../lib/delivery/webhook-delivery.js';
import {
  gzipOfZeros,
  peakMemoryGrowth,
  startOversizedAnswerServer,
  type OversizedAnswerServer,
} from '../support/oversized-answers.js';
import { generateSecret } from '../support/test-secrets.js';

const MiB = 1024 * 1024;
/** The cap on a receiver's answer: only its first line is ever shown. */
const CAP = 64 * 1024;
const TOO_LARGE = `the answer's body is over ${CAP} bytes; the rest was not read`;
let bomb: Buffer;
let server: OversizedAnswerServer | undefined;

beforeAll(async () => {
  bomb = await gzipOfZeros(128 * MiB);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function deliver(url: string) {
  return sendDelivery(
    signDelivery(
      new URL('/hook', url),
      '{"id":"whkevt_x"}',
      generateSecret(),
      undefined,
      undefined,
    ),
    20_000,
  );
}

describe("sendDelivery reads at most 64 KiB of a receiver's answer, counted after decompression", () => {
  it('stops an endless chunked answer at the cap, keeping the status', async () => {
    server = await startOversizedAnswerServer('endless');
    const outcome = await deliver(server.url);
    expect(outcome).toMatchObject({ status: 200, error: TOO_LARGE });
    await server.closed;
    expect(server.requests).toBe(1);
    expect(server.bytesWritten).toBeLessThan(24 * MiB);
  });

  it('stops a gzip bomb (128 MiB inflated) at the cap, memory staying bounded', async () => {
    server = await startOversizedAnswerServer('gzip-bomb', bomb);
    const address = server.url;
    let outcome;
    const growth = await peakMemoryGrowth(async () => (outcome = await deliver(address)));
    expect(outcome).toMatchObject({ status: 200, error: TOO_LARGE });
    expect(growth).toBeLessThan(32 * MiB);
  });

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    server = await startOversizedAnswerServer('declared');
    const outcome = await deliver(server.url);
    expect(outcome).toMatchObject({ status: 200, error: TOO_LARGE });
    await server.closed;
    expect(server.bytesWritten).toBeLessThan(8 * MiB);
  });

  it('cognito-flow webhook send prints the status and that the answer was cut, then stops', async () => {
    server = await startOversizedAnswerServer('endless');
    const out: string[] = [];
    const code = await runCli(
      [
        'webhook',
        'send',
        `${server.url}/hook`,
        '--event',
        'flow_session.status.updated',
        '--customer-reference',
        'u',
      ],
      {
        env: { FLOW_API_SECRET: generateSecret(), NODE_ENV: 'development' },
        out: (line) => out.push(line),
        err: () => undefined,
      },
    );
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(
      /^\[1\/1\] whkevt_\w+ 200 OK in [\d.]+ ms \(the answer's body is over 65536 bytes/,
    );
    expect(server.bytesWritten).toBeLessThan(24 * MiB);
  });
});
