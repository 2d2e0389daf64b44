/**
 * An answer whose body passed the byte cap: reading stopped there and the rest was never taken
 * off the connection. Not worth another attempt: the same server would send the same body.
 */
export class AnswerTooLargeError extends Error {
  /** Stable, machine-readable cause. */
  readonly code = 'answer_too_large';

  constructor(
    /** The cap, in bytes after decompression. */
    readonly maxBytes: number,
  ) {
    super(`the answer's body is over ${maxBytes} bytes; the rest was not read`);
    this.name = 'AnswerTooLargeError';
  }
}

/**
 * Reads an answer's body as UTF-8 text, at most `maxBytes` of it. The bytes are counted as
 * `fetch` hands them over, i.e. after it undid any `Content-Encoding`, so a small gzip answer
 * that inflates without end is stopped at the cap too; the stream is then cancelled, which
 * closes the connection. A declared `Content-Length` over the cap is refused before any byte.
 * @throws AnswerTooLargeError past the cap; the fetch's own error when the read fails.
 */
export async function readCappedText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new AnswerTooLargeError(maxBytes);
  }
  if (response.body === null) return '';
  // Node's fetch types its body loosely; its chunks are Uint8Arrays.
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
