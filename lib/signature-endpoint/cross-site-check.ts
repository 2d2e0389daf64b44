import { isFlowJsonMediaType } from '../http-signature/media-type.js';

/** Why a hosted-session POST was refused as a possible cross-site request. */
export type CrossSiteRefusal = 'foreign_origin' | 'not_json';

/** The 415 answer: no JSON content type and no `Origin` to prove the request is same-origin. */
export const NOT_JSON_MESSAGE =
  'Send Content-Type: application/json with a JSON body such as {}. ' +
  'A browser cannot send that cross-site without asking CORS first.';

/** The 403 answer: a simple request (form, text) from a page of another origin. */
export const FOREIGN_ORIGIN_MESSAGE =
  'Cross-site request refused: the Origin header does not match this host. ' +
  'Send Content-Type: application/json, so the browser asks CORS first.';

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * True when `origin` (the browser's `Origin` header) names the host the request was sent to. The
 * scheme is not compared: behind a TLS-terminating proxy the app cannot know it, and a page of
 * the same host name and port on another scheme is the host's own.
 */
function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) return false;
  let page: URL;
  try {
    page = new URL(origin);
  } catch {
    return false;
  }
  // A serialised origin is exactly scheme://host[:port]; anything else (null, a path) is foreign.
  if ((page.protocol !== 'https:' && page.protocol !== 'http:') || page.origin !== origin)
    return false;
  try {
    return new URL(`${page.protocol}//${host}`).host === page.host;
  } catch {
    return false;
  }
}

/**
 * Refuses what a page of another site can send with the user's cookies and no CORS preflight.
 * A JSON content type is accepted (the browser preflights it, so the host's CORS decides), as is
 * any request whose `Origin` names this host. Otherwise: `foreign_origin` when an `Origin` names
 * another site, `not_json` when there is none. Mobile and server clients send JSON.
 */
export function crossSiteRefusal(request: unknown): CrossSiteRefusal | undefined {
  const headers: Headers = (request as { headers?: Headers } | undefined)?.headers ?? {};
  const contentType = header(headers, 'content-type');
  if (contentType !== undefined && isFlowJsonMediaType(contentType)) return undefined;
  const origin = headers.origin;
  if (origin === undefined) return 'not_json';
  return typeof origin === 'string' && sameOrigin(origin, header(headers, 'host'))
    ? undefined
    : 'foreign_origin';
}
