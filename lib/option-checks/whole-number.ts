import { FlowConfigurationError } from './flow-configuration.error.js';

/**
 * Why `value` is not a whole number from `minimum` to `maximum` (a safe integer, so every count,
 * size and delay is exact), or undefined when it is. Every numeric option of every part is held
 * to this one rule and this one sentence; each caller throws its own error class with it.
 */
export function wholeNumberProblem(
  value: unknown,
  label: string,
  minimum: number,
  maximum: number = Number.MAX_SAFE_INTEGER,
): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    if (value >= minimum && value <= maximum) return undefined;
  }
  const range =
    maximum === Number.MAX_SAFE_INTEGER
      ? `of at least ${minimum}`
      : `from ${minimum} to ${maximum}`;
  // The number, or only the type: an option given the wrong value may hold anything, even a secret.
  const got = typeof value === 'number' ? String(value) : typeof value;
  return `${label} must be a whole number ${range}, got ${got}.`;
}

/**
 * A module option that is a whole number of at least `minimum`, or `fallback` when not given.
 * @throws FlowConfigurationError `invalid_option` with {@link wholeNumberProblem}'s sentence.
 */
export function wholeNumberOption(
  value: unknown,
  label: string,
  fallback: number,
  minimum: number,
): number {
  if (value === undefined) return fallback;
  const problem = wholeNumberProblem(value, label, minimum);
  if (problem !== undefined) throw new FlowConfigurationError('invalid_option', problem);
  return value as number;
}
