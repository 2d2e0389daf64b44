/**
 * The strict `Content-Type` check of a Flow delivery. `Content-Type` is not signed, so anything it
 * could change about how the host reads the body is refused: only `application/json`, with no
 * parameter but an optional `charset=utf-8`. Whitespace is HTTP's own (space and tab, RFC 9110
 * OWS): JavaScript's `trim()` also strips U+00A0 and other characters that no HTTP parser accepts
 * as whitespace, which would let a value pass here that the platform's body parser refuses.
 */

const SPACE = 0x20;
const TAB = 0x09;

/** RFC 9110 `tchar`: the characters of a token. */
function isTokenChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    "!#$%&'*+-.^_`|~".includes(String.fromCharCode(code))
  );
}

function skipWhitespace(value: string, index: number): number {
  while (index < value.length) {
    const code = value.charCodeAt(index);
    if (code !== SPACE && code !== TAB) break;
    index++;
  }
  return index;
}

function readToken(value: string, index: number): number {
  while (index < value.length && isTokenChar(value.charCodeAt(index))) index++;
  return index;
}

/** The unescaped content of the quoted-string at `index`, and where it ends; undefined if malformed. */
function readQuoted(value: string, index: number): { text: string; end: number } | undefined {
  let text = '';
  for (let i = index + 1; i < value.length; i++) {
    let code = value.charCodeAt(i);
    if (code === 0x22) return { text, end: i + 1 };
    if (code === 0x5c) {
      if (++i === value.length) return undefined;
      code = value.charCodeAt(i);
    }
    // qdtext and quoted-pair: HTAB, SP and visible ASCII (obs-text refused: not a charset name).
    if (code !== TAB && (code < 0x20 || code > 0x7e)) return undefined;
    text += String.fromCharCode(code);
  }
  return undefined;
}

/**
 * True when `value` is `application/json` (any case), optionally followed by a single
 * `charset=utf-8` parameter (any case, token or quoted-string), with only spaces and tabs around
 * the separators. Everything else is false: other types, other charsets, other or repeated
 * parameters, and any byte outside the RFC 9110 grammar.
 */
export function isFlowJsonMediaType(value: string): boolean {
  if (value === 'application/json') return true;
  let index = skipWhitespace(value, 0);
  const typeEnd = readToken(value, index);
  if (value.slice(index, typeEnd).toLowerCase() !== 'application') return false;
  if (value.charCodeAt(typeEnd) !== 0x2f) return false; // '/'
  const subtypeEnd = readToken(value, typeEnd + 1);
  if (value.slice(typeEnd + 1, subtypeEnd).toLowerCase() !== 'json') return false;
  index = skipWhitespace(value, subtypeEnd);
  let charsetSeen = false;
  while (index < value.length) {
    if (value.charCodeAt(index) !== 0x3b) return false; // ';'
    index = skipWhitespace(value, index + 1);
    const nameEnd = readToken(value, index);
    if (value.slice(index, nameEnd).toLowerCase() !== 'charset' || charsetSeen) return false;
    charsetSeen = true;
    if (value.charCodeAt(nameEnd) !== 0x3d) return false; // '='
    let charset: string;
    if (value.charCodeAt(nameEnd + 1) === 0x22) {
      const quoted = readQuoted(value, nameEnd + 1);
      if (quoted === undefined) return false;
      charset = quoted.text;
      index = quoted.end;
    } else {
      const valueEnd = readToken(value, nameEnd + 1);
      charset = value.slice(nameEnd + 1, valueEnd);
      index = valueEnd;
    }
    if (charset.toLowerCase() !== 'utf-8') return false;
    index = skipWhitespace(value, index);
  }
  return true;
}

/** `value` without leading and trailing HTTP whitespace (space and tab only, RFC 9110 OWS). */
export function trimHttpWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isOws(value.charCodeAt(start))) start++;
  while (end > start && isOws(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

function isOws(code: number): boolean {
  return code === SPACE || code === TAB;
}
