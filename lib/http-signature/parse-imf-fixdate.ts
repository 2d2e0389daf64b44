const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function digits(value: string, start: number, count: number): number {
  let result = 0;
  for (let i = start; i < start + count; i++) {
    const c = value.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return NaN;
    result = result * 10 + c;
  }
  return result;
}

/**
 * Milliseconds since the epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110), or
 * NaN for anything else: other HTTP date forms, an impossible day or time, or a weekday that does
 * not match the date. Fixed positions, no regex; callers must treat NaN as a refusal.
 */
export function parseImfFixdate(value: string): number {
  if (value.length !== 29 || value.slice(3, 5) !== ', ' || value.slice(25) !== ' GMT') return NaN;
  if (
    value[7] !== ' ' ||
    value[11] !== ' ' ||
    value[16] !== ' ' ||
    value[19] !== ':' ||
    value[22] !== ':'
  ) {
    return NaN;
  }
  const weekday = DAYS.indexOf(value.slice(0, 3));
  const month = MONTHS.indexOf(value.slice(8, 11));
  const day = digits(value, 5, 2);
  const year = digits(value, 12, 4);
  const hour = digits(value, 17, 2);
  const minute = digits(value, 20, 2);
  const second = digits(value, 23, 2);
  if (
    weekday < 0 ||
    month < 0 ||
    !(day >= 1) ||
    !(hour <= 23) ||
    !(minute <= 59) ||
    !(second <= 59) ||
    !(year >= 0)
  ) {
    return NaN;
  }
  const time = Date.UTC(year, month, day, hour, minute, second);
  const parsed = new Date(time);
  // Date.UTC rolls 31 Feb over into March: a rolled-over day or a wrong weekday is not a real date.
  if (
    parsed.getUTCDate() !== day ||
    parsed.getUTCDay() !== weekday ||
    parsed.getUTCFullYear() !== year
  )
    return NaN;
  return time;
}
