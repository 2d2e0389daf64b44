import type { FlowVerifierOptions } from './flow-webhook-verifier-options.js';
import { isList } from '../http-signature/is-list.js';

/** What an options object held when its verifier was prepared; lists are copied. */
type Holdings = { readonly [K in keyof Required<FlowVerifierOptions>]: unknown };

/** A list as a copy (its items are compared later), anything else as it is. */
function held(value: unknown): unknown {
  return isList(value) ? [...value] : value;
}

function holdings(options: FlowVerifierOptions): Holdings {
  return {
    secrets: held(options.secrets),
    apiKeys: held(options.apiKeys),
    toleranceSeconds: options.toleranceSeconds,
    maxBodyBytes: options.maxBodyBytes,
    now: options.now,
    publicPath: options.publicPath,
  };
}

/** True when `value` is what {@link held} kept: the same value, or a list of the same items. */
function sameAsHeld(before: unknown, value: unknown): boolean {
  if (!isList(before) || !isList(value)) return before === value;
  if (before.length !== value.length) return false;
  for (let i = 0; i < before.length; i++) if (before[i] !== value[i]) return false;
  return true;
}

/**
 * True when `options` still holds exactly what {@link holdings} recorded, compared in place: the
 * check runs on every call, so it allocates nothing.
 */
function unchanged(before: Holdings, options: FlowVerifierOptions): boolean {
  return (
    sameAsHeld(before.secrets, options.secrets) &&
    sameAsHeld(before.apiKeys, options.apiKeys) &&
    before.toleranceSeconds === options.toleranceSeconds &&
    before.maxBodyBytes === options.maxBodyBytes &&
    before.now === options.now &&
    before.publicPath === options.publicPath
  );
}

// Kept because preparing (checking options, making key objects) is more than half the cost of a
// one-shot call (docs/benchmarks.md); a differential property test pins it to a fresh verifier.
const prepared = new WeakMap<object, { holdings: Holdings; verifier: unknown }>();

/**
 * The verifier prepared for `options`, made once per options object and forgotten with it. Each
 * call compares what the object holds now with what it held when prepared, so an object changed in
 * place (a rotated secret, another key id or window) is prepared again, never served stale.
 * Options that fail validation are never kept: `prepare` throws on every call.
 */
export function preparedVerifierFor<TVerifier>(
  options: FlowVerifierOptions,
  prepare: (options: FlowVerifierOptions) => TVerifier,
): TVerifier {
  if (options === null || typeof options !== 'object') return prepare(options);
  const entry = prepared.get(options);
  if (entry !== undefined && unchanged(entry.holdings, options)) return entry.verifier as TVerifier;
  const verifier = prepare(options);
  prepared.set(options, { holdings: holdings(options), verifier });
  return verifier;
}
