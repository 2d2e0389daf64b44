import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDelivery } from '../../lib/delivery/webhook-delivery.js';

// Answers each request with the status and body named by its path: /<status>/<body index>.
const BODIES = [
  '{"outcome":"processed"}',
  '{"outcome":"duplicate","extra":1}',
  '{"outcome":"\\u001b[31mred"}',
  '{"outcome":42}',
  'processed',
  '',
  'null',
];

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((request, response) => {
    const [, status, index] = (request.url ?? '').split('/');
    request.resume();
    request.on('end', () => {
      response.statusCode = Number(status);
      response.end(BODIES[Number(index)]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const send = (status: number, index: number) =>
  sendDelivery(
    { url: new URL(`http://127.0.0.1:${port}/${status}/${index}`), body: '{}', headers: {} },
    5000,
  );

describe("a delivery's receiver outcome", () => {
  it('is the outcome word of a 2xx JSON body', async () => {
    expect((await send(200, 0)).receiverOutcome).toBe('processed');
    expect((await send(202, 1)).receiverOutcome).toBe('duplicate');
  });

  it('is left out for any other body, so no remote text reaches the terminal unescaped', async () => {
    for (const index of [2, 3, 4, 5, 6]) {
      expect((await send(200, index)).receiverOutcome, BODIES[index]).toBe(undefined);
    }
  });

  it('is not read from a non-2xx answer, whose excerpt is shown instead', async () => {
    const outcome = await send(500, 0);
    expect(outcome.receiverOutcome).toBe(undefined);
    expect(outcome.excerpt).toBe('{"outcome":"processed"}');
  });
});
