/** An index to build: the key and the options createIndexes takes, normalized for the target. */
export interface IndexSpec {
  readonly name: string;
  readonly key: Readonly<Record<string, unknown>>;
  /** Options other than `key` and `name` (e.g. `unique`, `sparse`, `partialFilterExpression`). */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * Options dropped from dumped index specs: `v` (the server picks the index version), `ns` (removed in
 * MongoDB 4.4, rejected by FerretDB as "Index option ns is unknown") and `dropDups` (removed in 3.0,
 * rejected by current servers). Everything else is passed through; the server decides.
 */
const DROPPED_INDEX_OPTIONS: readonly string[] = Object.freeze(['v', 'ns', 'dropDups']);

/**
 * Turn a dumped index spec (an entry of metadata.json `indexes`) into one to build. Returns undefined
 * for the `_id` index (the server creates it with the collection) and for specs without a key or name.
 * Pure.
 */
export function normalizeIndexSpec(raw: Readonly<Record<string, unknown>>): IndexSpec | undefined {
  const { key, name, ...rest } = raw;
  if (typeof name !== 'string' || !key || typeof key !== 'object') return undefined;
  if (name === '_id_') return undefined;
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) if (!DROPPED_INDEX_OPTIONS.includes(k)) options[k] = v;
  return { name, key: key as Record<string, unknown>, options };
}

/** An index the target refused, with the server's reason. */
export interface RejectedIndex {
  readonly name: string;
  readonly reason: string;
}
