import type { Attributes, ObservableCounter, ObservableResult } from '@opentelemetry/api';
import type { BuildAttributes } from './attribute-sets.js';

// Values are low-cardinality by design; the cap only bounds memory should that ever fail.
const MAX_CELLS = 256;

/** OpenTelemetry's name for the set that holds what a cardinality limit turned away. */
const OVERFLOW_ATTRIBUTES: Attributes = { 'otel.metric.overflow': true };

/** One attribute set of a counter and its running total. */
interface Cell {
  readonly attributes: Attributes;
  count: number;
}

/**
 * A monotonic counter counted in the process and reported when a reader collects. A synchronous
 * counter's `add()` has the SDK hash the attribute set on every call; here a delivery only bumps
 * a number, and the SDK sees each set once per collection through an observable counter.
 *
 * One per meter (see `flowInstrumentsOf`): two callbacks observing the same set on one
 * instrument would overwrite each other, so every module instance shares this tally.
 */
export class TalliedCounter {
  readonly #cells: Cell[] = [];
  #overflow: Cell | undefined;

  /** @param instrument the observable counter this tally reports through (also a hook for others). */
  constructor(readonly instrument: ObservableCounter) {
    instrument.addCallback((result) => this.#observe(result));
  }

  /** Counts whose attribute sets `build` makes from one or two values. */
  family(build: BuildAttributes): CountFamily {
    return new CountFamily(this, build);
  }

  /** A new cell for the set `build` makes; undefined once the cap is reached. */
  cell(build: () => Attributes): Cell | undefined {
    if (this.#cells.length >= MAX_CELLS) return undefined;
    const cell = { attributes: build(), count: 0 };
    this.#cells.push(cell);
    return cell;
  }

  /** Counts one past the cap, under the overflow set (kept nowhere else, so memory stays bounded). */
  overflowed(): void {
    this.#overflow ??= { attributes: OVERFLOW_ATTRIBUTES, count: 0 };
    this.#overflow.count++;
  }

  #observe(result: ObservableResult): void {
    for (const cell of this.#cells) result.observe(cell.count, cell.attributes);
    if (this.#overflow !== undefined) {
      result.observe(this.#overflow.count, this.#overflow.attributes);
    }
  }
}

/**
 * The counts of one family of attribute sets on a {@link TalliedCounter}, looked up by the values
 * themselves: no key string, array or attribute object is built per call.
 */
export class CountFamily {
  readonly #known = new Map<string, Map<string, Cell>>();

  constructor(
    private readonly counter: TalliedCounter,
    private readonly build: BuildAttributes,
  ) {}

  /** Adds one under these values (`second` is `''` for a one-value set). */
  add(first: string, second = ''): void {
    let inner = this.#known.get(first);
    let cell = inner?.get(second);
    if (cell === undefined) {
      cell = this.counter.cell(() => this.build(first, second));
      if (cell === undefined) return this.counter.overflowed();
      if (inner === undefined) {
        inner = new Map();
        this.#known.set(first, inner);
      }
      inner.set(second, cell);
    }
    cell.count++;
  }
}
