import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventTimeMillis } from '../../lib/telemetry/event-time.js';

// The reference is the engine's own Date.parse: the delivery lag must read every timestamp as it
// would, whichever path reads it.
const MIN = Date.UTC(1000, 0, 1);
const MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const instant = fc.integer({ min: MIN, max: MAX });
const pad = (value: number, width: number) => String(value).padStart(width, '0');

describe('eventTimeMillis', () => {
  it("reads Cognito's example event timestamp (FLOW-PROTOCOL.md) as that instant", () => {
    expect(eventTimeMillis('2021-01-01T00:00:00Z')).toBe(Date.UTC(2021, 0, 1));
    expect(eventTimeMillis('2024-02-29T23:59:59.999Z')).toBe(
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
    );
  });

  it('reads every instant from year 1000 to 9999, with and without milliseconds, as Date.parse does', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const withMillis = new Date(ms).toISOString();
        const seconds = `${withMillis.slice(0, 19)}Z`;
        expect(eventTimeMillis(withMillis)).toBe(ms);
        expect(eventTimeMillis(seconds)).toBe(Math.floor(ms / 1000) * 1000);
        expect(eventTimeMillis(seconds)).toBe(Date.parse(seconds));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with Date.parse on any field value, in range or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        fc.option(fc.integer({ min: 0, max: 999 })),
        (year, month, day, hour, minute, second, millis) => {
          const text =
            `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:` +
            `${pad(second, 2)}${millis === null ? '' : `.${pad(millis, 3)}`}Z`;
          expect(Object.is(eventTimeMillis(text), Date.parse(text))).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('agrees with Date.parse when any one character of a timestamp is changed', () => {
    const characters = fc.constantFrom(...'0123456789-:.TZtz +/aA\u0660');
    fc.assert(
      fc.property(instant, fc.nat(), characters, fc.boolean(), (ms, at, character, millis) => {
        const iso = new Date(ms).toISOString();
        const text = millis ? iso : `${iso.slice(0, 19)}Z`;
        const index = at % text.length;
        const changed = text.slice(0, index) + character + text.slice(index + 1);
        expect(Object.is(eventTimeMillis(changed), Date.parse(changed))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('gives NaN for what is not a string', () => {
    for (const value of [undefined, null, 0, 1609459200000, {}, ['2021-01-01T00:00:00Z']]) {
      expect(eventTimeMillis(value)).toBeNaN();
    }
  });
});
