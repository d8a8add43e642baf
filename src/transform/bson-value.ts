import type { Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'bson';

/**
 * Type tests for values decoded with `deserialize(bytes, { promoteValues: false, bsonRegExp: true })`,
 * the decoding the engine uses so that untouched fields re-serialize byte for byte: numbers stay
 * `Int32` / `Double` / `Long`, binaries stay `Binary`, strings and booleans are primitives.
 */
type Tagged = { readonly _bsontype?: string };

const tag = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null ? (value as Tagged)._bsontype : undefined;

export const isInt32 = (v: unknown): v is Int32 => tag(v) === 'Int32';
export const isDouble = (v: unknown): v is Double => tag(v) === 'Double';
export const isLong = (v: unknown): v is Long => tag(v) === 'Long';
export const isDecimal128 = (v: unknown): v is Decimal128 => tag(v) === 'Decimal128';
export const isObjectId = (v: unknown): v is ObjectId => tag(v) === 'ObjectId';
export const isBinary = (v: unknown): v is Binary => tag(v) === 'Binary';
export const isTimestamp = (v: unknown): v is Timestamp => tag(v) === 'Timestamp';
export const isDate = (v: unknown): v is Date => v instanceof Date;

/** A plain embedded document (not an array, not a BSON value class, not a Date). */
export function isDocument(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The BSON type name of a value, for messages (`string`, `int`, `objectId`, `binData(3)`, …). */
export function bsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'bigint') return 'long';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (isBinary(value)) return `binData(${value.sub_type})`;
  const t = tag(value);
  if (t === 'Int32') return 'int';
  if (t) return t.charAt(0).toLowerCase() + t.slice(1);
  return 'object';
}
