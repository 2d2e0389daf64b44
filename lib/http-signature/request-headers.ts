import { isList } from './is-list.js';

/** Headers as Node gives them: `req.headers` (joined or first-kept) and `req.headersDistinct` (every copy). */
export interface FlowHeaderSource {
  /** `req.headers`: lower-case names; a value may arrive as an array when a header repeats. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** `req.headersDistinct` (Node 18.3+): every copy of every header, so a second Authorization is seen. */
  headersDistinct?: Readonly<Record<string, readonly string[] | undefined>>;
}

/** Marks a header that is present more than once (or not as a string at all). */
export const REPEATED = Symbol('repeated header');

/**
 * The single value of header `name` (lower case), undefined when absent, or {@link REPEATED} when
 * it arrived more than once or in a shape other than a string. Never throws on odd shapes.
 */
export function singleHeader(
  source: FlowHeaderSource,
  name: string,
): string | undefined | typeof REPEATED {
  const distinct = source.headersDistinct?.[name];
  if (distinct !== undefined && distinct !== null) {
    if (!isList(distinct) || distinct.length !== 1 || typeof distinct[0] !== 'string')
      return REPEATED;
  }
  const value: unknown = source.headers[name];
  if (value === undefined)
    return distinct === undefined || distinct === null ? undefined : distinct[0];
  if (typeof value === 'string') return value;
  if (isList(value) && value.length === 1 && typeof value[0] === 'string') return value[0];
  return REPEATED;
}

/**
 * `headersDistinct` rebuilt from `rawHeaders` (name, value, name, value…), for requests that lack
 * it: Node's HTTP/2 request keeps only the first copy of a single-value header in `headers`.
 */
export function headersDistinctFromRaw(rawHeaders: unknown): Record<string, string[]> | undefined {
  if (!isList(rawHeaders)) return undefined;
  // No prototype: a header named __proto__ or constructor is just a header.
  const distinct = Object.create(null) as Record<string, string[]>;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name: unknown = rawHeaders[i];
    const value: unknown = rawHeaders[i + 1];
    if (typeof name !== 'string' || typeof value !== 'string') continue;
    const key = name.toLowerCase();
    (distinct[key] ??= []).push(value);
  }
  return distinct;
}

/** No header repeats: the usual answer of {@link repeatedHeadersFromRaw}, shared. */
const NONE_REPEATED: Readonly<Record<string, readonly string[]>> = Object.freeze(
  Object.create(null) as Record<string, readonly string[]>,
);

/** Above this many headers, repeats are found with a Set rather than by comparing every pair. */
const PAIRWISE_LIMIT = 16;

/**
 * `headersDistinct` reduced to the headers that arrive more than once (each with every copy),
 * from `rawHeaders`: enough for {@link singleHeader} beside a `headers` that holds every name, as
 * Node's HTTP/1 and HTTP/2 requests do. A request without repeats (every genuine delivery) gets
 * one shared empty object, where Node's own `headersDistinct` makes a list for every header.
 */
export function repeatedHeadersFromRaw(
  rawHeaders: unknown,
): Readonly<Record<string, readonly string[]>> | undefined {
  if (!isList(rawHeaders)) return undefined;
  const count = rawHeaders.length >> 1;
  const names: string[] = [];
  const seen = count > PAIRWISE_LIMIT ? new Set<string>() : undefined;
  for (let i = 0; i < count; i++) {
    const name: unknown = rawHeaders[2 * i];
    // Odd shapes (never from Node) take the long way, which skips them as it always has.
    if (typeof name !== 'string' || typeof rawHeaders[2 * i + 1] !== 'string')
      return headersDistinctFromRaw(rawHeaders);
    const key = name.toLowerCase();
    if (seen !== undefined) {
      if (seen.has(key)) return headersDistinctFromRaw(rawHeaders);
      seen.add(key);
    } else {
      for (let j = 0; j < names.length; j++)
        if (names[j] === key) return headersDistinctFromRaw(rawHeaders);
      names.push(key);
    }
  }
  return NONE_REPEATED;
}
