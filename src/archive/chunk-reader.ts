/**
 * Pull-based byte reader over an async iterable of chunks (a Node Readable, a gunzip stream…).
 * It only pulls the next chunk when the caller needs more bytes, so the producer's backpressure is
 * kept, and it never holds more than what the current read needs plus one chunk.
 */
export class ChunkReader {
  readonly #iterator: AsyncIterator<Uint8Array>;
  readonly #chunks: Uint8Array[] = [];
  /** Read position inside `#chunks[0]`. */
  #head = 0;
  /** Bytes buffered and not yet taken. */
  #available = 0;
  /** Bytes taken so far (the offset of the next byte). */
  #offset = 0;
  #done = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  /** Offset of the next unread byte from the start of the stream, in bytes. */
  get offset(): number {
    return this.#offset;
  }

  /** Bytes buffered and not yet taken. */
  get available(): number {
    return this.#available;
  }

  /**
   * Buffer until at least `n` bytes are available or the source ends.
   * @returns the number of bytes available (less than `n` only at the end of the source)
   */
  async ensure(n: number): Promise<number> {
    while (this.#available < n && !this.#done) {
      const next = await this.#iterator.next();
      if (next.done) {
        this.#done = true;
        break;
      }
      const chunk = next.value;
      if (chunk.length === 0) continue;
      this.#chunks.push(chunk);
      this.#available += chunk.length;
    }
    return this.#available;
  }

  /** The little-endian uint32 at the read position (needs 4 bytes available; does not consume). */
  peekUint32(): number {
    const first = this.#chunks[0];
    if (first && first.length - this.#head >= 4) {
      const h = this.#head;
      return (
        ((first[h] as number) |
          ((first[h + 1] as number) << 8) |
          ((first[h + 2] as number) << 16) |
          ((first[h + 3] as number) << 24)) >>>
        0
      );
    }
    let value = 0;
    let ci = 0;
    let pos = this.#head;
    for (let k = 0; k < 4; k++) {
      let chunk = this.#chunks[ci] as Uint8Array;
      while (pos >= chunk.length) {
        ci++;
        pos = 0;
        chunk = this.#chunks[ci] as Uint8Array;
      }
      value |= (chunk[pos] as number) << (8 * k);
      pos++;
    }
    return value >>> 0;
  }

  /**
   * Consume `n` bytes (at most {@link available}). Returns a view into the source chunk when the bytes
   * are contiguous, a fresh copy otherwise.
   */
  take(n: number): Uint8Array {
    if (n > this.#available) throw new RangeError(`take(${n}) with ${this.#available} bytes available`);
    this.#available -= n;
    this.#offset += n;
    const first = this.#chunks[0];
    if (first && first.length - this.#head >= n) {
      const out = first.subarray(this.#head, this.#head + n);
      this.#head += n;
      if (this.#head === first.length) {
        this.#chunks.shift();
        this.#head = 0;
      }
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.#chunks[0] as Uint8Array;
      const count = Math.min(n - filled, chunk.length - this.#head);
      out.set(chunk.subarray(this.#head, this.#head + count), filled);
      filled += count;
      this.#head += count;
      if (this.#head === chunk.length) {
        this.#chunks.shift();
        this.#head = 0;
      }
    }
    return out;
  }

  /** Stop reading: lets the source release its resources (closes the file, destroys the stream). */
  async close(): Promise<void> {
    this.#done = true;
    this.#chunks.length = 0;
    this.#available = 0;
    await this.#iterator.return?.();
  }
}
