import { FlowConfigurationError } from './flow-configuration.error.js';

/** Largest delay Node's timers keep, in ms: a longer one fires after 1 ms instead. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Why `value` is not a whole number from `minimum` to `maximum` (a safe integer, so every count,
 * size and delay is exact), as a sentence naming `label` and the range, or undefined when it is.
 * Delays given to timers take `maximum` {@link MAX_TIMER_MS}. Every numeric option of every part
 * is held to this one rule and this one sentence; each caller throws its own error class with it.
 */
export function wholeNumberProblem(
  label: string,
  value: unknown,
  minimum: number,
  maximum: number = Number.MAX_SAFE_INTEGER,
): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    if (value >= minimum && value <= maximum) return undefined;
  }
  const range =
    maximum === Number.MAX_SAFE_INTEGER
      ? `of at least ${minimum}`
      : `from ${minimum} to ${maximum}${maximum === MAX_TIMER_MS ? ' (milliseconds)' : ''}`;
  // The number, or only the type: an option given the wrong value may hold anything, even a secret.
  const got = typeof value === 'number' ? String(value) : typeof value;
  return `${label} must be a whole number ${range}. Got ${got}.`;
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
  const problem = wholeNumberProblem(label, value, minimum);
  if (problem !== undefined) throw new FlowConfigurationError('invalid_option', problem);
  return value as number;
}
