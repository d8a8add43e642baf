import { BSON, BSONError, Int32, Long } from 'bson';

/** A header document decoded without promoting values, so the BSON type of each field stays visible. */
export type RawFields = Record<string, unknown>;

/**
 * Decode a small header document keeping BSON types (int32 → `Int32`, int64 → `Long`).
 * @throws BSONError when the bytes are not a valid BSON document
 */
export function decodeRawFields(bytes: Uint8Array): RawFields {
  return BSON.deserialize(bytes, {
    promoteValues: false,
    promoteLongs: false,
    promoteBuffers: false,
    validation: { utf8: true },
  }) as RawFields;
}

export function isBsonError(error: unknown): error is BSONError {
  return BSONError.isBSONError(error);
}

/** The BSON type name of a decoded value, for error messages. */
export function bsonTypeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  const tag = (value as { _bsontype?: string })._bsontype;
  if (tag === 'Int32') return 'int32';
  if (tag === 'Long') return 'int64';
  if (tag === 'Double') return 'double';
  return tag ?? typeof value;
}

/** An int32 or int64 as a JS number (int64 must be a safe integer). */
export function asInt32or64(value: unknown): number | undefined {
  if (value instanceof Int32) return value.value;
  if (value instanceof Long) {
    const n = value.toBigInt();
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(n)
      : undefined;
  }
  return undefined;
}

/** An int64 as its unsigned 64-bit bit pattern. */
export function asUint64(value: unknown): bigint | undefined {
  return value instanceof Long ? BigInt.asUintN(64, value.toBigInt()) : undefined;
}
