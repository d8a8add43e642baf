import { deserialize } from 'bson';
import type { Document } from 'mongodb';

/** BSON decoding that keeps every value's type, so re-encoding gives the same bytes. */
const LOSSLESS_BSON = Object.freeze({
  promoteLongs: false,
  promoteValues: false,
  promoteBuffers: false,
  bsonRegExp: true,
  useBigInt64: false,
});

/** Decode a batch for the driver (which encodes it again, byte for byte). */
export function decodeBatch(batch: readonly Uint8Array[]): Document[] {
  return batch.map((bytes) => deserialize(bytes, LOSSLESS_BSON));
}
