import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  REPEATED,
  repeatedHeadersFromRaw,
  singleHeader,
} from '../../lib/http-signature/request-headers.js';

/** A real Node request holding `rawHeaders`, so headers and headersDistinct are Node's own. */
function nodeRequest(rawHeaders: string[]): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  // What Node's parser does with each received header line.
  for (let i = 0; i < rawHeaders.length; i += 2) {
    request.rawHeaders.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  (request as unknown as { _addHeaderLines(h: string[], n: number): void })._addHeaderLines(
    rawHeaders,
    rawHeaders.length,
  );
  return request;
}

const NAMES = ['authorization', 'Authorization', 'date', 'DATE', 'digest', 'content-type', 'x-a'];

describe('repeatedHeadersFromRaw', () => {
  it('gives an empty object when no header repeats, whatever the case of the names', () => {
    const distinct = repeatedHeadersFromRaw(['Date', 'd', 'Digest', 'x', 'authorization', 'a']);
    expect(distinct).toEqual({});
  });

  it('gives every copy of every header when one repeats in another case', () => {
    const distinct = repeatedHeadersFromRaw(['Date', 'd1', 'digest', 'x', 'DATE', 'd2']);
    expect(distinct?.date).toEqual(['d1', 'd2']);
    expect(distinct?.digest).toEqual(['x']);
  });

  it('finds a repeat among many headers (the Set path) as among few', () => {
    const many = Array.from({ length: 40 }, (_, i) => [`x-h${i}`, String(i)]).flat();
    expect(repeatedHeadersFromRaw(many)).toEqual({});
    expect(repeatedHeadersFromRaw([...many, 'X-H7', 'again'])?.['x-h7']).toEqual(['7', 'again']);
  });

  it('is undefined for anything but a list, and skips odd entries as before', () => {
    expect(repeatedHeadersFromRaw(undefined)).toBeUndefined();
    expect(repeatedHeadersFromRaw('date')).toBeUndefined();
    expect(repeatedHeadersFromRaw(['date', 1, 'date', 'd'])?.date).toEqual(['d']);
  });

  it("answers singleHeader exactly as Node's own headersDistinct does (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.string({ maxLength: 4 })), {
          maxLength: 24,
        }),
        (pairs) => {
          const request = nodeRequest(pairs.flat());
          const fromNode = { headers: request.headers, headersDistinct: request.headersDistinct };
          const fromRaw = {
            headers: request.headers,
            headersDistinct: repeatedHeadersFromRaw(request.rawHeaders),
          };
          for (const name of ['authorization', 'date', 'digest', 'content-type', 'x-a', 'none']) {
            expect(singleHeader(fromRaw, name)).toBe(singleHeader(fromNode, name));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('marks a header sent twice as repeated', () => {
    const request = nodeRequest(['Authorization', 'a', 'authorization', 'b']);
    const source = {
      headers: request.headers,
      headersDistinct: repeatedHeadersFromRaw(request.rawHeaders),
    };
    expect(singleHeader(source, 'authorization')).toBe(REPEATED);
  });
});
