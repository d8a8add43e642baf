import { StoreError } from '../../errors/index.js';

/** The largest document a dump may hold, plus the 16 KiB MongoDB allows over 16 MiB for commands. */
const MAX_DOCUMENT = 16 * 1024 * 1024 + 16 * 1024;

/**
 * Split a stream of concatenated BSON documents (a dump's `.bson` file) into whole documents, each
 * a view of one length-prefixed frame (spec: int32 little-endian total size, then the body).
 *
 * @param label names the object in errors
 * @throws StoreError `STORE_READ_FAILED` on a frame size below 5 or above 16 MiB + 16 KiB, or bytes
 *   left over at the end (a truncated document)
 */
export async function* bsonFrames(body: AsyncIterable<Uint8Array>, label: string): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of body) {
    pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
    let offset = 0;
    while (pending.length - offset >= 4) {
      const size = pending.readInt32LE(offset);
      if (size < 5 || size > MAX_DOCUMENT) throw bad(label, `a document frame of ${size} bytes`);
      if (pending.length - offset < size) break;
      yield pending.subarray(offset, offset + size);
      offset += size;
    }
    pending = offset === 0 ? pending : Buffer.from(pending.subarray(offset));
  }
  if (pending.length > 0) throw bad(label, `${pending.length} bytes after the last whole document`);
}

function bad(label: string, what: string): StoreError {
  return new StoreError('STORE_READ_FAILED', `${label} is not a sequence of BSON documents: ${what}`, {
    subject: { key: label },
  });
}
