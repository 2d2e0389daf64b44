/** Largest delay Node's timers keep, in ms: a longer one fires after 1 ms instead. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Why `value` is not a whole number from `minimum` to `maximum`, as a sentence naming `label` and
 * the range, or undefined when it is. Delays given to timers take `maximum` {@link MAX_TIMER_MS}.
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
  return maximum === Number.MAX_SAFE_INTEGER
    ? `${label} must be a whole number of at least ${minimum}.`
    : `${label} must be a whole number from ${minimum} to ${maximum}` +
        `${maximum === MAX_TIMER_MS ? ' (milliseconds)' : ''}.`;
}
