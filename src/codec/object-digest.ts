import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** A stored object's size and SHA-256, over the bytes as stored (after every codec). */
export interface ObjectDigest {
  /** The object's key, relative to the snapshot. */
  readonly key: string;
  /** Stored size, in bytes. */
  readonly bytes: number;
  /** SHA-256 (hex) of the stored bytes. */
  readonly sha256: string;
}

/**
 * A pass-through that hashes the bytes going to the store, so a snapshot's stored objects can be
 * checked later without decoding them (an encrypted snapshot without its identity). `onDigest` is
 * called once, when the stream ends.
 */
export function digestStream(key: string, onDigest: (digest: ObjectDigest) => void): Transform {
  const hash = createHash('sha256');
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      onDigest({ key, bytes, sha256: hash.digest('hex') });
      done();
    },
  });
}

/** SHA-256 and size of a byte stream, pulled to its end. */
export async function digestOf(key: string, source: AsyncIterable<Uint8Array>): Promise<ObjectDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { key, bytes, sha256: hash.digest('hex') };
}
