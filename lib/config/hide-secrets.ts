import { inspect } from 'node:util';
import { redactSecret } from '../http-signature/secret-shape.js';

const SECRET_FIELDS = ['apiSecret', 'previousApiSecrets'] as const;

/**
 * A copy of module options safe to print: each secret field in its redacted form
 * (`live_secret_…(76 chars)`), and `webhook.store` by its class name, since a store may hold a
 * client whose options carry a password. The one redaction rule of raw and resolved options.
 */
export function redactedCopy(value: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...value };
  for (const field of SECRET_FIELDS) {
    const secret = copy[field];
    if (secret === undefined) continue;
    copy[field] = Array.isArray(secret) ? secret.map(redactSecret) : redactSecret(secret);
  }
  const webhook = copy.webhook as { store?: object } | undefined;
  if (webhook?.store !== undefined)
    copy.webhook = { ...webhook, store: webhook.store.constructor?.name };
  return copy;
}

/**
 * Makes a plain object holding `apiSecret`/`previousApiSecrets` print and serialise redacted
 * (`console.log`, `util.inspect`, `JSON.stringify`), while code still reads the real values.
 * Non-enumerable, so spreading the object does not copy the hooks onto a leaky clone unnoticed.
 */
export function hideSecrets<T extends object>(value: T): T {
  Object.defineProperties(value, {
    toJSON: { value: () => redactedCopy(value as Record<string, unknown>), enumerable: false },
    [inspect.custom]: {
      value: (depth: number, options: object, inspectFn: typeof inspect = inspect) =>
        inspectFn(redactedCopy(value as Record<string, unknown>), options),
      enumerable: false,
    },
  });
  return value;
}
