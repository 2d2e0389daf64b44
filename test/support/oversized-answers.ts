import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';

/** How the server answers every request. */
export type OversizedAnswer =
  /** A chunked body of 64 KiB chunks with no end in sight (the server stops at `endlessLimit`). */
  | 'endless'
  /** A small gzip body that inflates to `bombBytes` of zeros, sent chunked. */
  | 'gzip-bomb'
  /** A `Content-Length` of 8 MiB, then the body written slowly. */
  | 'declared';

/** A loopback server whose every answer is larger than any client should read. */
export interface OversizedAnswerServer {
  url: string;
  /** Requests received. */
  requests: number;
  /** Body bytes the server managed to hand to the socket before the client went away. */
  bytesWritten: number;
  /** Resolves when the last answer's connection closed (the client cancelled or it ended). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/** Where an "endless" answer stops, so that a client without a cap cannot take the test down. */
export const ENDLESS_LIMIT = 64 * 1024 * 1024;

/** Builds a gzip of `bytes` zeros in 1 MiB steps (never the whole inflated body in memory). */
export async function gzipOfZeros(bytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (part: Buffer) => parts.push(part));
  const finished = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  const step = Buffer.alloc(1024 * 1024);
  for (let sent = 0; sent < bytes; sent += step.length) {
    if (!gzip.write(step)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await finished;
  return Buffer.concat(parts);
}

function writeUntilClosed(
  server: OversizedAnswerServer,
  response: ServerResponse,
  chunk: Buffer,
  limit: number,
): void {
  const pump = () => {
    while (!response.destroyed && server.bytesWritten < limit) {
      server.bytesWritten += chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    if (!response.destroyed) response.end();
  };
  pump();
}

/** Starts the server on 127.0.0.1, port 0. `bomb` is the gzip body for `'gzip-bomb'`. */
export async function startOversizedAnswerServer(
  mode: OversizedAnswer,
  bomb?: Buffer,
): Promise<OversizedAnswerServer> {
  let markClosed!: () => void;
  const state: OversizedAnswerServer = {
    url: '',
    requests: 0,
    bytesWritten: 0,
    closed: new Promise((resolve) => (markClosed = resolve)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((request, response) => {
    state.requests += 1;
    state.bytesWritten = 0;
    state.closed = new Promise((resolve) => (markClosed = resolve));
    response.on('close', () => markClosed());
    request.resume();
    if (mode === 'endless') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      writeUntilClosed(state, response, Buffer.alloc(64 * 1024, 0x20), ENDLESS_LIMIT);
    } else if (mode === 'gzip-bomb') {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      state.bytesWritten = bomb?.length ?? 0;
      response.end(bomb);
    } else {
      const declared = 8 * 1024 * 1024;
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': declared });
      writeUntilClosed(state, response, Buffer.alloc(64 * 1024, 0x20), declared);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/**
 * Runs `task` while sampling the heap and external memory every few ms, and
 * returns the largest growth seen over the level before it started, in bytes.
 */
export async function peakMemoryGrowth(task: () => Promise<unknown>): Promise<number> {
  const level = () => {
    const usage = process.memoryUsage();
    // `external` includes the array buffers (the chunks `fetch` hands over).
    return usage.heapUsed + usage.external;
  };
  const before = level();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, level())), 2);
  try {
    await task();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, level()) - before;
}
