/**
 * `Array.isArray` that narrows to `readonly unknown[]` instead of `any[]`: a typed list keeps its
 * element type, and an unknown value's elements stay unknown until checked.
 */
export const isList = Array.isArray as (value: unknown) => value is readonly unknown[];
