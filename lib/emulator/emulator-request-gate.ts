import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LOOPBACK_NAMES, loopbackOrigins } from '../delivery/loopback-url.js';

/** The header a client outside the known origins sends the per-run control token in. */
export const EMULATOR_TOKEN_HEADER = 'x-flow-emulator-token';

/** A fresh per-run control token: 32 random bytes, base64url. */
export function createControlToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The request-target as a URL when it is in origin form (`/path?query`), else undefined: `//x:99999`,
 * absolute-form junk and `*` are not routes of the emulator, and must not reach a URL parser that
 * throws.
 */
export function parseRequestTarget(target: string | undefined): URL | undefined {
  if (target === undefined || !target.startsWith('/') || target.startsWith('//')) return undefined;
  try {
    return new URL(target, 'http://emulator.invalid');
  } catch {
    return undefined;
  }
}

/**
 * The `Host` values the emulator answers: `localhost`, `127.0.0.1` and `[::1]` with its own port,
 * in lower case. Any other name (`localhost.`, a rebound DNS name) means the request was meant for
 * someone else, or is a DNS-rebinding page reaching loopback through its own name.
 */
export function emulatorHosts(port: number): ReadonlySet<string> {
  // A client may leave out port 80, the scheme's default.
  return new Set(
    LOOPBACK_NAMES.flatMap((name) => (port === 80 ? [`${name}:80`, name] : [`${name}:${port}`])),
  );
}

/** True when the request's single `Host` header is one of `hosts` (case-insensitive). */
export function isEmulatorHost(request: IncomingMessage, hosts: ReadonlySet<string>): boolean {
  const host = request.headersDistinct.host;
  return host?.length === 1 && hosts.has(host[0].toLowerCase());
}

/** The emulator's own origins, one per loopback name of {@link emulatorHosts}. */
export function emulatorOrigins(port: number): ReadonlySet<string> {
  return new Set(loopbackOrigins('http:', String(port)));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** What decides whether a request may use the control routes. */
export interface ControlAccess {
  /** The per-run token. */
  token: string;
  /** The emulator's own origins (same-origin pages: the status and hosted pages). */
  own: ReadonlySet<string>;
  /** The app's origins the emulator was told about. */
  app(): ReadonlySet<string>;
}

/** Why a request is refused the control routes, or undefined when it may use them. */
export type ControlRefusal = 'bad_token' | 'cross_site' | undefined;

/**
 * The control routes (`/emulator/*`) answer a request that carries the run's token, comes from
 * the emulator's own pages or the app's known origins, or does not come from a browser at all (no
 * `Origin`, and no `Sec-Fetch-Site` but `none` (typed in) or `same-origin`): CLI and Node
 * clients work unchanged while every other web page is refused.
 */
export function controlRefusal(request: IncomingMessage, access: ControlAccess): ControlRefusal {
  const given = request.headersDistinct[EMULATOR_TOKEN_HEADER];
  if (given !== undefined) {
    // Hashing first gives equal lengths, so the comparison takes the same time for any guess.
    const ok = given.length === 1 && timingSafeEqual(digest(given[0]), digest(access.token));
    return ok ? undefined : 'bad_token';
  }
  const origin = request.headersDistinct.origin;
  if (origin !== undefined)
    return origin.length === 1 && (access.own.has(origin[0]) || access.app().has(origin[0]))
      ? undefined
      : 'cross_site';
  // Browsers send Sec-Fetch-Site with every request; Node's fetch sends Sec-Fetch-Mode: cors
  // alone, so the mode tells a browser only beside a site.
  const site = request.headers['sec-fetch-site'];
  if (site === undefined || site === 'none' || site === 'same-origin') return undefined;
  return 'cross_site';
}

/**
 * CORS headers for an answer to `origin`: only the app's known origins may read the emulator's
 * answers from their pages; any other origin gets none (its browser then hides the answer).
 */
export function corsHeaders(
  origin: string | undefined,
  app: ReadonlySet<string>,
): Record<string, string> {
  if (origin === undefined || !app.has(origin)) return { Vary: 'Origin' };
  return {
    Vary: 'Origin',
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'GET, POST',
    'Access-Control-Allow-Headers': `Content-Type, ${EMULATOR_TOKEN_HEADER}`,
  };
}
