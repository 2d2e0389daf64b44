import type { Attributes } from '@opentelemetry/api';

// Values are low-cardinality by design; the cap only bounds memory should that ever fail.
const MAX_ATTRIBUTE_SETS = 256;

/**
 * The attribute sets of one metric point kind, built once per distinct values and then handed
 * out as the same object: a lookup by the values themselves, with no key string or array built
 * per call (the SDK hashes the set on every point, which is cost enough).
 */
export class AttributeSets {
  readonly #known = new Map<string, Map<string, Attributes>>();
  #size = 0;

  constructor(private readonly build: (first: string, second: string) => Attributes) {}

  /** The set for these values (`second` is `''` for a one-value set). */
  get(first: string, second = ''): Attributes {
    let inner = this.#known.get(first);
    const known = inner?.get(second);
    if (known !== undefined) return known;
    const built = this.build(first, second);
    if (this.#size >= MAX_ATTRIBUTE_SETS) return built;
    if (inner === undefined) {
      inner = new Map();
      this.#known.set(first, inner);
    }
    inner.set(second, built);
    this.#size++;
    return built;
  }
}
