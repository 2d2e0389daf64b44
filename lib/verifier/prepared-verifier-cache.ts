import type { FlowWebhookVerifierOptions } from './flow-webhook-verifier-options.js';
import { isList } from '../http-signature/is-list.js';

/** What an options object holds, flattened: lengths first, so two different holdings never compare equal. */
function holdings(options: FlowWebhookVerifierOptions): unknown[] {
  const { secrets, apiKeys } = options;
  const values: unknown[] = isList(secrets) ? [secrets.length, ...secrets] : [secrets];
  if (isList(apiKeys)) values.push(apiKeys.length, ...apiKeys);
  else values.push(apiKeys);
  values.push(options.toleranceSeconds, options.maxBodyBytes, options.now, options.publicPath);
  return values;
}

/**
 * True when `options` still holds exactly what {@link holdings} recorded, compared in place: the
 * check runs on every call, so it allocates nothing.
 */
function unchanged(before: readonly unknown[], options: FlowWebhookVerifierOptions): boolean {
  let i = 0;
  const same = (value: unknown): boolean => before[i++] === value;
  const list = (value: unknown): boolean => {
    if (!isList(value)) return same(value);
    if (!same(value.length)) return false;
    for (const item of value) if (!same(item)) return false;
    return true;
  };
  return (
    list(options.secrets) &&
    list(options.apiKeys) &&
    same(options.toleranceSeconds) &&
    same(options.maxBodyBytes) &&
    same(options.now) &&
    same(options.publicPath) &&
    i === before.length
  );
}

const prepared = new WeakMap<object, { holdings: unknown[]; verifier: unknown }>();

/**
 * The verifier prepared for `options`, made once per options object and forgotten with it. Each
 * call compares what the object holds now with what it held when prepared, so an object changed in
 * place (a rotated secret, another key id or window) is prepared again, never served stale.
 * Options that fail validation are never kept: `prepare` throws on every call.
 */
export function preparedVerifierFor<TVerifier>(
  options: FlowWebhookVerifierOptions,
  prepare: (options: FlowWebhookVerifierOptions) => TVerifier,
): TVerifier {
  if (options === null || typeof options !== 'object') return prepare(options);
  const entry = prepared.get(options);
  if (entry !== undefined && unchanged(entry.holdings, options)) return entry.verifier as TVerifier;
  const verifier = prepare(options);
  prepared.set(options, { holdings: holdings(options), verifier });
  return verifier;
}
