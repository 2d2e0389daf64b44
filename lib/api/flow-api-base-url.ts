/** Cognito's live API. */
export const FLOW_LIVE_API_BASE_URL = 'https://api.cognitohq.com';
/** Cognito's sandbox API. */
export const FLOW_SANDBOX_API_BASE_URL = 'https://sandbox.cognitohq.com';

/** An API base URL split into what `fetch` needs and what the signature covers. */
export interface FlowApiBase {
  /** `https://api.cognitohq.com` (no trailing slash). */
  readonly origin: string;
  /** A path prefix the API is mounted under (`''` for Cognito; a stand-in may have one). */
  readonly pathPrefix: string;
}

/**
 * The API host for a key: `live_key_…` → live, `sandbox_key_…` → sandbox; `baseUrl` (e.g.
 * `FLOW_API_BASE_URL`, for a stand-in or a proxy) wins over the prefix.
 * @throws TypeError when neither tells the host, or `baseUrl` is not an http(s) URL without
 *   query, fragment or credentials.
 */
export function resolveFlowApiBase(apiKey: string, baseUrl?: string): FlowApiBase {
  if (baseUrl === undefined) {
    if (apiKey.startsWith('live_')) return { origin: FLOW_LIVE_API_BASE_URL, pathPrefix: '' };
    if (apiKey.startsWith('sandbox_')) return { origin: FLOW_SANDBOX_API_BASE_URL, pathPrefix: '' };
    throw new TypeError(
      "The API key's prefix is neither live_ nor sandbox_, so the API host is unknown. Pass " +
        `baseUrl (FLOW_API_BASE_URL), e.g. ${FLOW_SANDBOX_API_BASE_URL}.`,
    );
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(
      `The API base URL must be an absolute URL such as ${FLOW_LIVE_API_BASE_URL}.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(
      'The API base URL must be an https: (or, for a local stand-in, http:) URL.',
    );
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new TypeError('The API base URL must not carry credentials, a query or a fragment.');
  }
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}
