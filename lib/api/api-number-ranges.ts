import { MAX_TIMER_MS, wholeNumberProblem } from '../option-checks/whole-number.js';

/** The whole-number range of each numeric option: the delays are timers, so at most {@link MAX_TIMER_MS}. */
export const API_NUMBER_RANGES = {
  timeoutMs: [1, MAX_TIMER_MS],
  maxRetries: [0, Number.MAX_SAFE_INTEGER],
  backoffBaseMs: [0, MAX_TIMER_MS],
  backoffMaxMs: [0, MAX_TIMER_MS],
  retryAfterMaxMs: [0, MAX_TIMER_MS],
} as const;

/**
 * Why `value` is not a whole number in `option`'s range (a sentence naming `label` and the
 * range), or undefined when it is. The client and the module's start-up checks both use it.
 */
export function apiNumberProblem(
  option: keyof typeof API_NUMBER_RANGES,
  value: unknown,
  label: string = option,
): string | undefined {
  const [minimum, maximum] = API_NUMBER_RANGES[option];
  return wholeNumberProblem(label, value, minimum, maximum);
}
