import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FlowApiClient, FlowApiError } from '../../lib/index.js';
import {
  gzipOfZeros,
  peakMemoryGrowth,
  startOversizedAnswerServer,
  type OversizedAnswerServer,
} from '../support/oversized-answers.js';
import { generateSecret } from '../support/test-secrets.js';

const MiB = 1024 * 1024;
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
/** The cap SECURITY.md states for API answers. */
const CAP = MiB;
let bomb: Buffer;
let server: OversizedAnswerServer | undefined;

beforeAll(async () => {
  // 128 MiB of zeros: about 128 KiB once gzipped, a thousandfold expansion.
  bomb = await gzipOfZeros(128 * MiB);
  expect(bomb.length).toBeLessThan(MiB / 2);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Retries allowed and fast, so a retried over-cap answer would show in the request count. */
function client(baseUrl: string): FlowApiClient {
  return new FlowApiClient({
    apiKey,
    apiSecret: generateSecret(),
    baseUrl,
    maxRetries: 2,
    backoffBaseMs: 1,
    backoffMaxMs: 2,
    timeoutMs: 20_000,
  });
}

async function tooLarge(promise: Promise<unknown>): Promise<FlowApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(FlowApiError);
  expect(error).toMatchObject({ code: 'answer_too_large', retryable: false, attempts: 1 });
  expect((error as FlowApiError).message).toContain(`over ${CAP} bytes`);
  return error as FlowApiError;
}

describe('FlowApiClient reads at most 1 MiB of an answer, counted after decompression', () => {
  it('stops an endless chunked answer at the cap and closes the connection, without a retry', async () => {
    server = await startOversizedAnswerServer('endless');
    const started = Date.now();
    await tooLarge(client(server.url).getFlowSession('flwses_endless'));
    await server.closed;
    expect(server.requests).toBe(1);
    // What the socket buffers held beyond the cap, no more: the server was stopped, not drained.
    expect(server.bytesWritten).toBeLessThan(24 * MiB);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops a gzip bomb (128 KiB inflating to 128 MiB) at the cap, memory staying bounded', async () => {
    server = await startOversizedAnswerServer('gzip-bomb', bomb);
    const address = server.url;
    const growth = await peakMemoryGrowth(() =>
      tooLarge(
        client(address).createFlowSession({ customerReference: 'u', templateId: 'flwtmp_x' }),
      ),
    );
    expect(server.requests).toBe(1);
    // The inflated body is 128 MiB; the reader holds at most the cap plus a few chunks.
    expect(growth).toBeLessThan(32 * MiB);
  });

  it('refuses a declared Content-Length over the cap before reading the body', async () => {
    server = await startOversizedAnswerServer('declared');
    await tooLarge(client(server.url).getFlowSession('flwses_declared'));
    await server.closed;
    expect(server.requests).toBe(1);
    expect(server.bytesWritten).toBeLessThan(8 * MiB);
  });
});
