/**
 * The type a server value has after JSON.stringify: dates become ISO strings. Panels type their data as
 * Jsonify<Awaited<ReturnType<typeof serverFunction>>> instead of re-declaring the JSON by hand.
 */
export type Jsonify<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Jsonify<U>[]
    : T extends readonly (infer U)[]
      ? readonly Jsonify<U>[]
      : T extends object
        ? { [K in keyof T]: Jsonify<T[K]> }
        : T;
