import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImfFixdate } from '../../lib/http-signature/parse-imf-fixdate.js';

// The reference is the engine's own calendar: Date prints IMF-fixdates (toUTCString) and computes
// their instants (Date.UTC); the parser must agree with it on every date it accepts.
const MIN = Date.UTC(100, 0, 1);
const MAX = Date.UTC(9999, 11, 31, 23, 59, 59);
const instant = fc.integer({ min: MIN / 1000, max: MAX / 1000 }).map((s) => s * 1000);
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

describe('parseImfFixdate', () => {
  it('reads every date from year 100 to 9999 as Date prints it, to the second', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const text = new Date(ms).toUTCString();
        expect(text).toHaveLength(29);
        expect(parseImfFixdate(text)).toBe(ms);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses the same date under any other weekday', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 6 }), (ms, shift) => {
        const text = new Date(ms).toUTCString();
        const wrong = DAYS[(DAYS.indexOf(text.slice(0, 3)) + shift) % 7];
        expect(parseImfFixdate(wrong + text.slice(3))).toBeNaN();
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with Date.UTC on any day number 01–31 of any month, refusing the days a month lacks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 9999 }),
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const ms = Date.UTC(year, month, day);
          const real = new Date(ms).getUTCDate() === day;
          const rest = `, ${String(day).padStart(2, '0')} ${MONTHS[month]} ${String(year).padStart(4, '0')} 00:00:00 GMT`;
          if (real) expect(parseImfFixdate(DAYS[new Date(ms).getUTCDay()] + rest)).toBe(ms);
          // A day the month lacks is refused under every weekday.
          else for (const weekday of DAYS) expect(parseImfFixdate(weekday + rest)).toBeNaN();
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('refuses two-digit-century years and the known odd forms', () => {
    expect(parseImfFixdate('Sun, 06 Nov 0094 08:49:37 GMT')).toBeNaN();
    expect(parseImfFixdate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseImfFixdate('Thu, 29 Feb 2024 00:00:00 GMT')).toBe(Date.UTC(2024, 1, 29));
    expect(parseImfFixdate('Tue, 29 Feb 2100 00:00:00 GMT')).toBeNaN();
    expect(parseImfFixdate('Tue, 29 Feb 2000 00:00:00 GMT')).toBe(Date.UTC(2000, 1, 29));
    expect(parseImfFixdate('Thu, 01 Jan 1970 00:00:00 GMT')).toBe(0);
    expect(parseImfFixdate('Wed, 31 Dec 1969 23:59:59 GMT')).toBe(-1000);
  });
});
