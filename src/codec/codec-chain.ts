import { pipeline, type Writable } from 'node:stream';
import { StoreError } from '../errors/index.js';
import type { ByteCodec } from './byte-codec.js';
import { gzipCodec } from './gzip-codec.js';

/** Codecs a snapshot may name, by manifest name. */
const CODECS: Readonly<Record<string, ByteCodec>> = { gzip: gzipCodec };

/**
 * The codecs of a snapshot, applied to each data object in order when writing and undone in reverse
 * when reading. An empty chain stores the bytes as they are.
 */
export class CodecChain {
  readonly names: readonly string[];
  /** The keys' suffix: each codec's, in order (`.gz`). */
  readonly suffix: string;
  readonly #codecs: readonly ByteCodec[];

  /** @throws StoreError `SNAPSHOT_UNKNOWN_CODEC` for a name this release does not know */
  constructor(names: readonly string[]) {
    this.#codecs = names.map((name) => {
      const codec = CODECS[name];
      if (!codec)
        throw new StoreError('SNAPSHOT_UNKNOWN_CODEC', `unknown snapshot codec: ${name}`, {
          subject: { codec: name },
          hint: 'the snapshot was written by a newer dbfork: upgrade to read it',
        });
      return codec;
    });
    this.names = [...names];
    this.suffix = this.#codecs.map((c) => c.suffix).join('');
  }

  /**
   * A Writable that encodes into `output`: bytes written to it pass through every encoder, with
   * backpressure, and ending it ends `output`. An error anywhere destroys the whole chain.
   */
  encodeInto(output: Writable): Writable {
    if (this.#codecs.length === 0) return output;
    const stages = this.#codecs.map((c) => c.encoder());
    pipeline([...stages, output] as unknown as [Writable, Writable], () => undefined);
    return stages[0] as Writable;
  }

  /** Undo the chain on a stream (last codec first). @param label names the object in errors */
  decode(source: AsyncIterable<Uint8Array>, label: string): AsyncIterable<Uint8Array> {
    return this.#codecs.reduceRight((stream, codec) => codec.decode(stream, label), source);
  }
}
