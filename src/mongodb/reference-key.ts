import { EJSON, type Document } from 'bson';

/** The BSON type of a value as the driver hands it out (`promoteValues: false`), across bson copies. */
export function bsonTypeOf(value: unknown): string | undefined {
  return value !== null && typeof value === 'object'
    ? (value as { _bsontype?: string })._bsontype
    : undefined;
}

/**
 * The key two values compare by in a relation, as MongoDB's equality does: numbers by their value
 * whatever their width (an Int32 5 equals a Long 5 and a Double 5.0), everything else by its
 * canonical Extended JSON, so an ObjectId never equals its hex string.
 */
export function referenceKey(value: unknown): string {
  const type = bsonTypeOf(value);
  if (type === 'Int32' || type === 'Double' || type === 'Long')
    return `{"$number":"${String((value as { valueOf(): number | bigint }).valueOf())}"}`;
  if (typeof value === 'number' || typeof value === 'bigint') return `{"$number":"${String(value)}"}`;
  return EJSON.stringify(value as Document, { relaxed: false });
}

/** Values at a dot path, MongoDB-style: arrays on the way and at the end are looked into. */
export function valuesAt(value: unknown, segments: readonly string[]): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, segments));
  if (segments.length === 0) return value === undefined ? [] : [value];
  if (value === null || typeof value !== 'object' || bsonTypeOf(value) !== undefined) return [];
  const [head, ...rest] = segments;
  return valuesAt((value as Record<string, unknown>)[head as string], rest);
}
