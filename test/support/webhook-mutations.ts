import type { FlowSignedRequest } from '../../lib/protocol/index.js';

/** A small seeded PRNG (xorshift32), so a failing fuzz run can be replayed from its seed. */
export function prng(seed: number): (n: number) => number {
  let state = seed >>> 0 || 1;
  return (n: number) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };
}

const HEADER_NAMES = [
  'authorization',
  'date',
  'digest',
  'content-type',
  'content-encoding',
  'x-extra',
];
const NASTY = [
  '',
  ' ',
  ',',
  '"',
  '\\',
  '=',
  '\u0000',
  '\n',
  'é',
  '\uffff',
  'Signature ',
  'SHA-256=',
  '(created)',
  'hmac-sha256',
  ',,',
  '=="',
  'GMT',
];

/** One textual mutation: flip, insert, delete, truncate, duplicate a range, or splice a nasty token. */
export function mutateText(value: string, random: (n: number) => number): string {
  const i = value.length === 0 ? 0 : random(value.length);
  switch (random(7)) {
    case 0:
      return value.slice(0, i) + String.fromCharCode(random(256)) + value.slice(i + 1);
    case 1:
      return value.slice(0, i) + String.fromCharCode(32 + random(95)) + value.slice(i);
    case 2:
      return value.slice(0, i) + value.slice(i + 1 + random(4));
    case 3:
      return value.slice(0, i);
    case 4:
      return value.slice(0, i) + value.slice(i, i + 1 + random(12)) + value.slice(i);
    case 5:
      return value.slice(0, i) + NASTY[random(NASTY.length)] + value.slice(i);
    default:
      return value.toUpperCase();
  }
}

/** A request derived from a valid one by one to three random structural or byte-level changes. */
export function mutateRequest(
  request: FlowSignedRequest,
  other: FlowSignedRequest,
  random: (n: number) => number,
): FlowSignedRequest {
  let result: FlowSignedRequest = { ...request, headers: { ...request.headers } };
  const rounds = 1 + random(3);
  for (let r = 0; r < rounds; r++) {
    const headers = result.headers as Record<string, unknown>;
    const name = HEADER_NAMES[random(HEADER_NAMES.length)];
    const current = typeof headers[name] === 'string' ? headers[name] : '';
    switch (random(10)) {
      case 0:
        result = { ...result, method: mutateText(result.method, random) };
        break;
      case 1:
        result = { ...result, url: mutateText(result.url, random) };
        break;
      case 2: {
        const body = Buffer.from(result.rawBody ?? Buffer.alloc(0));
        if (body.length > 0) body[random(body.length)] ^= 1 + random(255);
        result = {
          ...result,
          rawBody: random(8) === 0 ? body.subarray(0, random(body.length + 1)) : body,
        };
        break;
      }
      case 3:
        delete headers[name];
        break;
      case 4:
        headers[name] = [current, random(2) === 0 ? current : mutateText(current, random)];
        break;
      case 5:
        result = { ...result, headersDistinct: { [name]: [current, mutateText(current, random)] } };
        break;
      case 6:
        // A field taken from another validly signed delivery.
        headers[name] = (other.headers as Record<string, unknown>)[name];
        if (random(2) === 0) result = { ...result, rawBody: other.rawBody };
        break;
      case 7:
        headers[name] = [undefined, null, 42, {}, [], ['x']][random(6)];
        break;
      default:
        headers[name] = mutateText(current, random);
    }
  }
  return result;
}
