import { asUint64, bsonTypeName } from './bson-fields.js';
import { decodeHeaderFields } from './header-fields.js';

/** A namespace header: opens a segment (`eof: false`) or ends a namespace (`eof: true`, with its CRC). */
export interface NamespaceHeader {
  readonly db: string;
  readonly collection: string;
  readonly eof: boolean;
  /** CRC-64/XZ of the namespace's document bytes (unsigned); 0 in segment headers. */
  readonly crc: bigint;
}

const KEYS = new Set(['db', 'collection', 'EOF', 'CRC']);
const encoder = new TextEncoder();

/**
 * Encode `{db, collection, EOF, CRC}` exactly as mongodump's `bson.Marshal(NamespaceHeader{…})`:
 * two strings, a bool and an **int64** CRC holding the uint64 bit pattern (spec §4). Hand-built, so
 * `CRC` is always BSON int64 even when it is 0.
 */
export function encodeNamespaceHeader(header: NamespaceHeader): Uint8Array {
  const db = encoder.encode(header.db);
  const coll = encoder.encode(header.collection);
  const size =
    4 + (1 + 3 + 4 + db.length + 1) + (1 + 11 + 4 + coll.length + 1) + (1 + 4 + 1) + (1 + 4 + 8) + 1;
  const out = Buffer.alloc(size);
  let p = out.writeInt32LE(size, 0);
  p = out.writeUInt8(0x02, p);
  p += out.write('db\0', p, 'latin1');
  p = out.writeInt32LE(db.length + 1, p);
  out.set(db, p);
  p += db.length + 1;
  p = out.writeUInt8(0x02, p);
  p += out.write('collection\0', p, 'latin1');
  p = out.writeInt32LE(coll.length + 1, p);
  out.set(coll, p);
  p += coll.length + 1;
  p = out.writeUInt8(0x08, p);
  p += out.write('EOF\0', p, 'latin1');
  p = out.writeUInt8(header.eof ? 1 : 0, p);
  p = out.writeUInt8(0x12, p);
  p += out.write('CRC\0', p, 'latin1');
  p = out.writeBigInt64LE(BigInt.asIntN(64, header.crc), p);
  out.writeUInt8(0, p);
  return out;
}

/**
 * Decode a namespace header with mongo-tools 100.14's strict rules (spec §4): exactly the keys
 * `db`, `collection`, `EOF`, `CRC`; `db`/`collection` strings, `EOF` bool, `CRC` int64; `collection`
 * non-empty. `EOF` and `CRC` may be absent (Go zero values: false, 0).
 *
 * @param offset byte offset of the header in the stream, for errors
 * @throws ArchiveError `ARCHIVE_BAD_HEADER`
 */
export function decodeNamespaceHeader(bytes: Uint8Array, offset: number): NamespaceHeader {
  const { fields, bad } = decodeHeaderFields(bytes, offset, 'namespace header');
  for (const key of Object.keys(fields)) if (!KEYS.has(key)) throw bad(`unknown field "${key}"`);
  const { db, collection, EOF, CRC } = fields;
  if (typeof db !== 'string') throw bad(`"db" must be a string, got ${bsonTypeName(db)}`);
  if (typeof collection !== 'string')
    throw bad(`"collection" must be a string, got ${bsonTypeName(collection)}`);
  if (collection === '') throw bad('"collection" is empty');
  if (EOF !== undefined && typeof EOF !== 'boolean')
    throw bad(`"EOF" must be a bool, got ${bsonTypeName(EOF)}`);
  const crc = CRC === undefined ? 0n : asUint64(CRC);
  if (crc === undefined) throw bad(`"CRC" must be an int64, got ${bsonTypeName(CRC)}`);
  return { db, collection, eof: EOF === true, crc };
}
