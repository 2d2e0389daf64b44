const DIGIT_0 = 0x30;

/** The value of the digit at `at`, or NaN when it is not one. */
function digit(text: string, at: number): number {
  const value = text.charCodeAt(at) - DIGIT_0;
  return value >= 0 && value <= 9 ? value : Number.NaN;
}

/** The value of the two digits at `at`, or NaN when either is not a digit. */
function twoDigits(text: string, at: number): number {
  return digit(text, at) * 10 + digit(text, at + 1);
}

/**
 * Milliseconds since the epoch of an event's `timestamp`, as `Date.parse` gives them; NaN when it
 * is not a date. Cognito's form (`2021-01-01T00:00:00Z`, or with milliseconds) is read field by
 * field; anything else goes to `Date.parse`, which costs over a microsecond per delivery in a busy
 * server for the same answer.
 */
export function eventTimeMillis(timestamp: unknown): number {
  if (typeof timestamp !== 'string') return Number.NaN;
  const length = timestamp.length;
  if (
    (length !== 20 && length !== 24) ||
    timestamp.charCodeAt(length - 1) !== 0x5a /* Z */ ||
    timestamp.charCodeAt(4) !== 0x2d /* - */ ||
    timestamp.charCodeAt(7) !== 0x2d ||
    timestamp.charCodeAt(10) !== 0x54 /* T */ ||
    timestamp.charCodeAt(13) !== 0x3a /* : */ ||
    timestamp.charCodeAt(16) !== 0x3a ||
    (length === 24 && timestamp.charCodeAt(19) !== 0x2e) /* . */
  ) {
    return Date.parse(timestamp);
  }
  const year = twoDigits(timestamp, 0) * 100 + twoDigits(timestamp, 2);
  const month = twoDigits(timestamp, 5);
  const day = twoDigits(timestamp, 8);
  const hour = twoDigits(timestamp, 11);
  const minute = twoDigits(timestamp, 14);
  const second = twoDigits(timestamp, 17);
  const millis = length === 24 ? twoDigits(timestamp, 20) * 10 + digit(timestamp, 22) : 0;
  // Out of range, not digits (NaN fails every test) or a year Date.UTC reads as 19xx: as
  // Date.parse says. A day past its month's end rolls over in both, as the tests hold.
  if (
    !(year >= 1000) ||
    !(month >= 1 && month <= 12) ||
    !(day >= 1 && day <= 31) ||
    !(hour <= 23 && minute <= 59 && second <= 59 && millis >= 0)
  ) {
    return Date.parse(timestamp);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}
