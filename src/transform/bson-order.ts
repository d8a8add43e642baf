import { EJSON } from 'bson';
import {
  isBinary,
  isDate,
  isDecimal128,
  isDocument,
  isDouble,
  isInt32,
  isLong,
  isObjectId,
  isTimestamp,
} from './bson-value.js';

/**
 * Compare two BSON values in MongoDB's sort order (https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/):
 * MinKey < null < numbers < strings < documents < arrays < binData < ObjectId < bool < date <
 * timestamp < regex < MaxKey. Within a type: numbers by value, strings by UTF-8 bytes (no collation),
 * binData by length, subtype, then bytes, ObjectIds by bytes. Documents and arrays, which `_id`s rarely
 * are, compare by their canonical Extended JSON text (an approximation of the server's order).
 * Used to pick "the first N by `_id`" for `size_limits`.
 */
export function compareBson(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 3:
      return compareNumbers(a, b);
    case 4:
      return Buffer.compare(Buffer.from(a as string, 'utf8'), Buffer.from(b as string, 'utf8'));
    case 7: {
      const x = a as { position: number; sub_type: number; buffer: Uint8Array };
      const y = b as typeof x;
      return (
        x.position - y.position ||
        x.sub_type - y.sub_type ||
        Buffer.compare(x.buffer.subarray(0, x.position), y.buffer.subarray(0, y.position))
      );
    }
    case 8:
      return Buffer.compare(
        Buffer.from((a as { id: Uint8Array }).id),
        Buffer.from((b as { id: Uint8Array }).id),
      );
    case 9:
      return Number(a) - Number(b);
    case 10:
      return (a as Date).getTime() - (b as Date).getTime();
    default:
      return ra === 2
        ? 0
        : EJSON.stringify({ v: a }, { relaxed: false }).localeCompare(
            EJSON.stringify({ v: b }, { relaxed: false }),
          );
  }
}

function rank(v: unknown): number {
  if (v === null || v === undefined) return 2;
  if (
    typeof v === 'number' ||
    typeof v === 'bigint' ||
    isInt32(v) ||
    isDouble(v) ||
    isLong(v) ||
    isDecimal128(v)
  )
    return 3;
  if (typeof v === 'string') return 4;
  if (isDocument(v)) return 5;
  if (Array.isArray(v)) return 6;
  if (isBinary(v)) return 7;
  if (isObjectId(v)) return 8;
  if (typeof v === 'boolean') return 9;
  if (isDate(v)) return 10;
  if (isTimestamp(v)) return 11;
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'MinKey') return 1;
  if (t === 'MaxKey') return 14;
  return 12;
}

function compareNumbers(a: unknown, b: unknown): number {
  if (isLong(a) && isLong(b)) return a.compare(b);
  const x = toNumber(a);
  const y = toNumber(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (isInt32(v) || isDouble(v)) return v.value;
  if (isLong(v)) return v.toNumber();
  return Number((v as { toString(): string }).toString());
}
