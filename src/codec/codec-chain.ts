import { pipeline, type Writable } from 'node:stream';
import { StoreError } from '../errors/index.js';
import { ageCodec } from './age-codec.js';
import type { ByteCodec } from './byte-codec.js';
import { NO_KEYS, type CodecKeys } from './codec-keys.js';
import { gzipCodec } from './gzip-codec.js';

/** Codecs a snapshot may name, by manifest name, made with the keys of the run. */
const CODECS: Readonly<Record<string, (keys: CodecKeys) => ByteCodec>> = {
  gzip: () => gzipCodec,
  age: ageCodec,
};

/**
 * The codecs of a snapshot, applied to each data object in order when writing and undone in reverse
 * when reading. An empty chain stores the bytes as they are. Keys are only needed by the codecs
 * that use them (`age`), and only when bytes are actually encoded or decoded.
 */
export class CodecChain {
  readonly names: readonly string[];
  /** The keys' suffix: each codec's, in order (`.gz`). */
  readonly suffix: string;
  readonly #codecs: readonly ByteCodec[];

  /** @throws StoreError `SNAPSHOT_UNKNOWN_CODEC` for a name this release does not know */
  constructor(names: readonly string[], keys: CodecKeys = NO_KEYS) {
    this.#codecs = names.map((name) => {
      const make = CODECS[name];
      if (!make)
        throw new StoreError('SNAPSHOT_UNKNOWN_CODEC', `unknown snapshot codec: ${name}`, {
          subject: { codec: name },
          hint: 'the snapshot was written by a newer dbfork: upgrade to read it',
        });
      return make(keys);
    });
    this.names = [...names];
    this.suffix = this.#codecs.map((c) => c.suffix).join('');
  }

  /** Whether the chain encrypts (its objects cannot be read without an identity). */
  get encrypted(): boolean {
    return this.names.includes('age');
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
