import type { FlowVerifierOptions } from './flow-webhook-verifier-options.js';
import { isList } from '../http-signature/is-list.js';

/** What an options object holds, flattened: lengths first, so two different holdings never compare equal. */
function holdings(options: FlowVerifierOptions): unknown[] {
  const { secrets, apiKeys } = options;
  const values: unknown[] = isList(secrets) ? [secrets.length, ...secrets] : [secrets];
  if (isList(apiKeys)) values.push(apiKeys.length, ...apiKeys);
  else values.push(apiKeys);
  values.push(options.toleranceSeconds, options.maxBodyBytes, options.now, options.publicPath);
  return values;
}

/** Whether `before`, from index `at`, records `value` as {@link holdings} does; the next index, or -1. */
function matchAt(before: readonly unknown[], at: number, value: unknown): number {
  if (!isList(value)) return before[at] === value ? at + 1 : -1;
  if (before[at] !== value.length) return -1;
  let i = at + 1;
  for (const item of value) if (before[i++] !== item) return -1;
  return i;
}

/**
 * True when `options` still holds exactly what {@link holdings} recorded, compared in place: the
 * check runs on every call, so it allocates nothing.
 */
function unchanged(before: readonly unknown[], options: FlowVerifierOptions): boolean {
  let i = matchAt(before, 0, options.secrets);
  if (i !== -1) i = matchAt(before, i, options.apiKeys);
  return (
    i !== -1 &&
    i + 4 === before.length &&
    before[i] === options.toleranceSeconds &&
    before[i + 1] === options.maxBodyBytes &&
    before[i + 2] === options.now &&
    before[i + 3] === options.publicPath
  );
}

// Kept because preparing (checking options, making key objects) is more than half the cost of a
// one-shot call (docs/benchmarks.md); a differential property test pins it to a fresh verifier.
const prepared = new WeakMap<object, { holdings: unknown[]; verifier: unknown }>();

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
