import { EJSON } from 'bson';
import {
  bsonTypeName,
  isBinary,
  isDate,
  isDecimal128,
  isDouble,
  isInt32,
  isLong,
  isObjectId,
} from './bson-value.js';

const NUMBER = 0x01;
const BINARY = 0x05;
const OBJECT_ID = 0x07;
const BOOL = 0x08;
const DATE = 0x09;
const OTHER = 0x00;

/**
 * The bytes a scalar is hashed as. A string is its UTF-8 bytes (so the unkeyed hash of a string is
 * exactly `sha256(value)`, as plain-hash anonymizers compute it); any other type is `0xFF <tag> <payload>`, which no UTF-8
 * string can equal. Numbers of any BSON width hash alike by value (`Int32(5)`, `Long(5)`, `5.0`), so
 * a reference stored as a different numeric type still joins.
 *
 * @throws TypeError for documents and arrays (callers walk those)
 */
export function canonicalBytes(value: unknown): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (isInt32(value) || isDouble(value)) return tagged(NUMBER, numberText(value.value));
  if (typeof value === 'number') return tagged(NUMBER, numberText(value));
  if (isLong(value)) return tagged(NUMBER, value.toString());
  if (typeof value === 'bigint') return tagged(NUMBER, value.toString());
  if (isDecimal128(value)) return tagged(NUMBER, value.toString());
  if (isObjectId(value)) return tagged(OBJECT_ID, value.id);
  if (isBinary(value)) {
    const out = Buffer.allocUnsafe(3 + value.position);
    out[0] = 0xff;
    out[1] = BINARY;
    out[2] = value.sub_type;
    out.set(value.buffer.subarray(0, value.position), 3);
    return out;
  }
  if (isDate(value)) return tagged(DATE, String(value.getTime()));
  if (typeof value === 'boolean') return tagged(BOOL, value ? '1' : '0');
  if (value === null || value === undefined) return tagged(OTHER, 'null');
  if (Array.isArray(value) || bsonTypeName(value) === 'object')
    throw new TypeError(`cannot hash a ${bsonTypeName(value)}`);
  return tagged(OTHER, EJSON.stringify({ v: value }, { relaxed: false }));
}

function numberText(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}

function tagged(type: number, payload: string | Uint8Array): Buffer {
  if (typeof payload === 'string') {
    const out = Buffer.allocUnsafe(2 + Buffer.byteLength(payload, 'utf8'));
    out[0] = 0xff;
    out[1] = type;
    out.write(payload, 2, 'utf8');
    return out;
  }
  const out = Buffer.allocUnsafe(2 + payload.length);
  out[0] = 0xff;
  out[1] = type;
  out.set(payload, 2);
  return out;
}
