import { isLoopbackHostname, loopbackOrigins } from '../delivery/loopback-url.js';

/**
 * Checks the dashboard's domain allow-list as Cognito's dashboard takes it: each entry an exact
 * origin (`https://app.example.com`, no path, no wildcard), HTTPS only, except loopback `http:`
 * origins when `development` is set. Returns the origins as `URL.origin` spells them.
 */
export function resolveAllowedOrigins(
  given: readonly unknown[],
  development: boolean,
  invalid: (message: string) => never,
): ReadonlySet<string> {
  if (!Array.isArray(given))
    invalid("allowedOrigins must list origins such as 'https://app.example.com'.");
  const origins = new Set<string>();
  for (const entry of given) {
    let url: URL | undefined;
    try {
      url = typeof entry === 'string' && !entry.includes('*') ? new URL(entry) : undefined;
    } catch {
      url = undefined;
    }
    if (url === undefined || url.origin === 'null' || entry !== url.origin)
      invalid(
        `allowedOrigins: '${String(entry)}' is not an origin such as 'https://app.example.com' ` +
          '(scheme, host and optional port; no path, no trailing slash, no wildcard).',
      );
    const loopback = isLoopbackHostname(url.hostname);
    if (url.protocol !== 'https:' && !(development && loopback && url.protocol === 'http:'))
      invalid(
        `allowedOrigins: '${entry}' must be https:. Plain http: is allowed only for a loopback ` +
          'host (localhost, 127.0.0.1, [::1]) with development: true.',
      );
    origins.add(url.origin);
  }
  return origins;
}

/** True when a request's `Origin` may use flow.js: no list allows any; otherwise an exact match. */
export function isAllowedOrigin(
  allowed: ReadonlySet<string> | undefined,
  origin: unknown,
): boolean {
  if (allowed === undefined) return true;
  return typeof origin === 'string' && allowed.has(origin);
}

/**
 * The app's origins the emulator knows: the allow-list, and the origin of a loopback webhook URL
 * under each loopback name (the app's pages are served where its receiver listens, reached as
 * `localhost` or `127.0.0.1` alike). Only these pages get CORS answers and may drive the dialog.
 */
export function appOrigins(
  allowed: ReadonlySet<string> | undefined,
  webhookUrl: URL | undefined,
): ReadonlySet<string> {
  const origins = new Set(allowed);
  if (webhookUrl !== undefined && isLoopbackHostname(webhookUrl.hostname)) {
    for (const origin of loopbackOrigins(webhookUrl.protocol, webhookUrl.port)) origins.add(origin);
    origins.add(webhookUrl.origin);
  }
  return origins;
}
