import type { Duplex } from 'node:stream';

/**
 * A reversible byte-stream transform applied to each stored object of a snapshot, between the dump
 * writer/reader and the store: compression (`gzip`) and encryption (`age`). Codecs are named in the
 * manifest (`codecs`, in encoding order) so a reader knows how to undo them. Writers push bytes and
 * readers pull them, so encoding is a Duplex (bytes in, encoded bytes out) and decoding an async iterable; both keep
 * backpressure and hold a bounded amount of data.
 */
export interface ByteCodec {
  /** The name recorded in the manifest, e.g. `gzip`. */
  readonly name: string;
  /** Appended to the key of each object it encoded, e.g. `.gz` (what mongorestore expects). */
  readonly suffix: string;
  /** A fresh streaming encoder. @throws UsageError when a key it needs is missing */
  encoder(): Duplex;
  /**
   * Decode a stream.
   * @param label names the object in errors (a path or URL)
   * @throws (while iterating) a DbforkError when the bytes cannot be decoded
   */
  decode(source: AsyncIterable<Uint8Array>, label: string): AsyncIterable<Uint8Array>;
}
