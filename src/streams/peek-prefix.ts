/** A byte stream whose first bytes have been looked at, and the whole stream to read on. */
export interface PeekedStream {
  /** At least the bytes asked for (fewer only when the stream is shorter), concatenated. */
  readonly head: Buffer;
  /** Every byte of the source, the peeked ones included, pulled with backpressure. */
  readonly chunks: AsyncGenerator<Uint8Array, void, undefined>;
  /** Release the source without reading it (when `chunks` will not be read). */
  close(): Promise<void>;
}

/**
 * Read the first `bytes` bytes of a stream (to sniff a format by its magic: gzip's 1F 8B, age's
 * header line) without losing them: `chunks` replays them, then goes on with the rest. Closing
 * `chunks` early closes the source.
 */
export async function peekPrefix(source: AsyncIterable<Uint8Array>, bytes: number): Promise<PeekedStream> {
  const iterator = source[Symbol.asyncIterator]();
  const prefix: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    if (next.value.length === 0) continue;
    prefix.push(next.value);
    length += next.value.length;
  }
  async function* chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    try {
      yield* prefix;
      if (ended) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      if (!ended) await iterator.return?.();
    }
  }
  const head = Buffer.concat(prefix.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
  const close = async (): Promise<void> => {
    if (!ended) await iterator.return?.();
  };
  return { head, chunks: chunks(), close };
}
