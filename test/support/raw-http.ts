import { connect } from 'node:net';

/** A response read off the socket: status code and body text. */
export interface RawResponse {
  status: number;
  body: string;
}

/**
 * Sends a request byte for byte over a TCP socket (so a header can really repeat, which fetch and
 * http.request merge or refuse) and reads the whole response (`Connection: close`). `headEncoding`
 * `latin1` sends each character of the head as the one byte of its code (0x80–0xFF included).
 */
export function rawHttpRequest(
  port: number,
  head: string[],
  body: Buffer | string,
  headEncoding: 'utf8' | 'latin1' = 'utf8',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    const answer = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    };
    // A server that answers a bad head at once (400) and closes may reset the socket while the
    // body is still being written: the answer already read is the one to report.
    socket.on('error', (error) => (chunks.length > 0 ? answer() : reject(error)));
    socket.on('end', answer);
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    socket.write(
      `${[...head, `Host: 127.0.0.1:${port}`, `Content-Length: ${bytes.length}`, 'Connection: close'].join('\r\n')}\r\n\r\n`,
      headEncoding,
    );
    socket.end(bytes);
  });
}
