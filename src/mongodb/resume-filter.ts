import type { Document } from 'mongodb';

/**
 * MongoDB's sort order of BSON types, lowest first, as `$type` aliases per bracket
 * (https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/).
 */
const TYPE_BRACKETS: readonly (readonly string[])[] = [
  ['minKey'],
  ['null'],
  ['double', 'int', 'long', 'decimal'],
  ['symbol', 'string'],
  ['object'],
  ['array'],
  ['binData'],
  ['objectId'],
  ['bool'],
  ['date'],
  ['timestamp'],
  ['regex'],
  ['maxKey'],
];

/** The sort bracket of a decoded BSON value (driver types, promoteValues off or on). */
export function typeBracket(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'number' || typeof value === 'bigint') return 2;
  if (typeof value === 'string') return 3;
  if (typeof value === 'boolean') return 8;
  if (value instanceof Date) return 9;
  if (value instanceof RegExp) return 11;
  if (Array.isArray(value)) return 5;
  const bsontype = (value as { _bsontype?: string })._bsontype;
  switch (bsontype) {
    case 'MinKey':
      return 0;
    case 'Int32':
    case 'Double':
    case 'Long':
    case 'Decimal128':
      return 2;
    case 'BSONSymbol':
      return 3;
    case 'Binary':
      return 6;
    case 'ObjectId':
      return 7;
    case 'Timestamp':
      return 10;
    case 'BSONRegExp':
      return 11;
    case 'MaxKey':
      return 12;
    default:
      return 4;
  }
}

/** Every `$type` alias of the sort order, lowest bracket first. */
export const TYPE_ALIASES: readonly string[] = TYPE_BRACKETS.flat();

/**
 * The filter that continues an `_id`-sorted scan after `lastId`. `$gt` only matches values of the same
 * type bracket, so values of every higher bracket are added with `$type`: nothing is skipped even
 * when `_id`s mix types.
 *
 * @param storable - the `$type` aliases the server can hold (default: all). A server that cannot store
 *   a type (FerretDB: minKey, maxKey, decimal, symbol) refuses to match on it, and holds no such `_id`.
 */
export function resumeAfter(
  lastId: unknown,
  storable: ReadonlySet<string> = new Set(TYPE_ALIASES),
): Document {
  const higher = TYPE_BRACKETS.slice(typeBracket(lastId) + 1)
    .flat()
    .filter((alias) => storable.has(alias));
  const sameBracket = { _id: { $gt: lastId } };
  return higher.length === 0 ? sameBracket : { $or: [sameBracket, { _id: { $type: higher } }] };
}
