import type { Attributes } from '@opentelemetry/api';
import {
  flowAttributes,
  type FlowAttributeKey,
  type FlowAttributes,
} from './telemetry-attributes.js';

// Values are low-cardinality by design; the cap only bounds memory should that ever fail.
const MAX_ATTRIBUTE_SETS = 256;

/** Builds a set naming `first`'s value and, when given, `second`'s, plus the `fixed` ones. */
export type BuildAttributes = (first: string, second: string) => Attributes;

/**
 * The builder of the sets naming `first`'s value and, when given, `second`'s, plus the `fixed`
 * ones; their values pass the allow-list, as every point's do.
 */
export function setsOf(
  first: FlowAttributeKey,
  second?: FlowAttributeKey,
  fixed?: FlowAttributes,
): BuildAttributes {
  return (firstValue, secondValue) =>
    flowAttributes({
      [first]: firstValue,
      ...(second === undefined ? {} : { [second]: secondValue }),
      ...fixed,
    });
}

/**
 * The attribute sets of one histogram's points, built once per distinct values and then handed
 * out as the same object: a lookup by the values themselves, with no key string or array built
 * per call (the SDK hashes the set on every point, which is cost enough).
 */
export class AttributeSets {
  readonly #known = new Map<string, Map<string, Attributes>>();
  #size = 0;

  constructor(private readonly build: BuildAttributes) {}

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
