/**
 * What the prefixes of Cognito Flow keys tell us. Used by validation and redaction alike, so
 * the two agree on which strings are secrets.
 */

/** The role a key's prefix announces (`live_secret_…`, `live_key_…`, `live_publishable_key_…`). */
export type FlowKeyKind = 'secret' | 'api_key' | 'publishable_key' | 'unknown';

/** A key's role and environment (`live`, `sandbox`, …), as far as its prefix tells. */
export interface FlowKeyShape {
  kind: FlowKeyKind;
  /** The environment word before the role, e.g. `live`; undefined when the prefix says nothing. */
  environment?: string;
}

// Order matters: `publishable_key` must be tried before the shorter `key`.
const KEY_PREFIX = /^([a-z]+)_(secret|publishable_key|key)_/;

/** Reads the role and environment of a key from its prefix. */
export function flowKeyShape(value: string): FlowKeyShape {
  const match = KEY_PREFIX.exec(value);
  if (!match) return { kind: 'unknown' };
  const role = match[2];
  const kind: FlowKeyKind =
    role === 'secret' ? 'secret' : role === 'publishable_key' ? 'publishable_key' : 'api_key';
  return { kind, environment: match[1] };
}

/**
 * A secret's printable stand-in: its role prefix (which is not secret) and its length, never a
 * character of the secret itself. `live_secret_…(76 chars)`.
 */
export function redactSecret(secret: unknown): string {
  if (typeof secret !== 'string') return `[${typeof secret}]`;
  const match = /^[a-z]+_secret_/.exec(secret);
  return `${match ? match[0] : ''}…(${secret.length} chars)`;
}
