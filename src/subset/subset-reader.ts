/** A value as the closure compares it: `key` is its BSON-typed canonical form, `value` the value itself. */
export interface KeyedValue {
  /** Canonical Extended JSON of the value, so an ObjectId never equals its hex string. */
  readonly key: string;
  readonly value: unknown;
}

/** A document as the closure sees it: its `_id` and the values at the paths asked for. */
export interface ClosureDocument {
  readonly id: KeyedValue;
  /** Values at each requested path, arrays on the way flattened; a missing path has none. */
  readonly values: ReadonlyMap<string, readonly KeyedValue[]>;
}

/**
 * What a subset needs to read from the source (the `mongodb/` adapter implements it with indexed
 * `$in` queries in batches, on the capture's read preference). Every method only reads.
 */
export interface SubsetReader {
  /**
   * The root documents: those matching `query`, at most `limit` (0: no limit), in `_id` order.
   * @throws SourceError when the source cannot be read
   */
  roots(
    collection: string,
    query: Readonly<Record<string, unknown>>,
    limit: number,
    paths: readonly string[],
  ): AsyncIterable<ClosureDocument>;
  /**
   * The documents whose value at `path` equals one of `values` (array elements count).
   * @throws SourceError when the source cannot be read
   */
  match(
    collection: string,
    path: string,
    values: readonly unknown[],
    paths: readonly string[],
  ): AsyncIterable<ClosureDocument>;
}
