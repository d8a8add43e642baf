import type { FindCursor } from 'mongodb';

/** The documents of one server batch, back to back in one buffer, never decoded. */
export interface RawBatch {
  /** The documents' bytes, each as the server sent it (int32 length … 0x00), concatenated. */
  readonly bson: Buffer;
  readonly count: number;
  /** A view of the last document (its `_id` is where a resumed read starts after). */
  readonly last: Uint8Array;
}

/**
 * The shape of the driver's buffered reply (mongodb 6.8+ `CursorResponse`: the reply bytes, the
 * batch array's parsed element table `[type, nameOffset, nameLength, offset, length]`, how many of
 * them the cursor already handed out). Not public API: {@link takeRawBatch} checks every field it
 * reads and falls back to the public `readBufferedDocuments` when the shape differs.
 */
interface BufferedReply {
  readonly iterated: number;
  readonly encryptedResponse?: unknown;
  readonly batch: { readonly bson: Uint8Array; readonly elements: readonly (readonly number[])[] };
  clear(): void;
}

const BSON_OBJECT = 3;

function bufferedReply(cursor: FindCursor): BufferedReply | undefined {
  const reply = (cursor as unknown as { documents?: unknown }).documents as Partial<BufferedReply> | null;
  if (!reply || typeof reply !== 'object') return undefined;
  if (typeof reply.iterated !== 'number' || typeof reply.clear !== 'function') return undefined;
  if (reply.encryptedResponse != null) return undefined;
  let batch: BufferedReply['batch'] | undefined;
  try {
    batch = reply.batch;
  } catch {
    return undefined;
  }
  if (!batch || !(batch.bson instanceof Uint8Array) || !Array.isArray(batch.elements)) return undefined;
  return reply as BufferedReply;
}

/** Whether {@link takeRawBatch} reads this cursor's replies directly (else through the driver's documents). */
export function readsRepliesDirectly(cursor: FindCursor): boolean {
  return bufferedReply(cursor) !== undefined;
}

/**
 * Take every document the cursor holds buffered (the rest of its last server batch) as one
 * {@link RawBatch}: each document is copied once, straight from the reply bytes, into one buffer.
 * The cursor must have been opened with `raw: true`; call after `hasNext()` resolved true. The
 * driver's own path (`readBufferedDocuments`) parses every document's top-level fields on the way;
 * this one reads the reply's element table, which the driver parsed once for the whole batch, and
 * checks each entry (an object lying inside the reply, its length prefix matching). When the reply
 * does not have the expected shape the public path is used, with the same bytes as the result.
 *
 * @returns undefined when the cursor holds no buffered document
 */
export function takeRawBatch(cursor: FindCursor): RawBatch | undefined {
  const reply = bufferedReply(cursor);
  if (reply) {
    const { bson: source, elements } = reply.batch;
    const from = reply.iterated;
    let total = 0;
    let valid = from <= elements.length;
    for (let i = from; valid && i < elements.length; i++) {
      const element = elements[i] as readonly number[];
      const offset = element[3] as number;
      const length = element[4] as number;
      valid =
        element[0] === BSON_OBJECT &&
        offset >= 0 &&
        length >= 5 &&
        offset + length <= source.length &&
        ((source[offset] as number) |
          ((source[offset + 1] as number) << 8) |
          ((source[offset + 2] as number) << 16) |
          ((source[offset + 3] as number) << 24)) ===
          length;
      total += length;
    }
    if (valid) {
      const count = elements.length - from;
      if (count === 0) return undefined;
      const bson = Buffer.allocUnsafe(total);
      let at = 0;
      for (let i = from; i < elements.length; i++) {
        const element = elements[i] as readonly number[];
        const offset = element[3] as number;
        const length = element[4] as number;
        bson.set(source.subarray(offset, offset + length), at);
        at += length;
      }
      reply.clear();
      const lastLength = (elements[elements.length - 1] as readonly number[])[4] as number;
      return { bson, count, last: bson.subarray(total - lastLength) };
    }
  }
  const documents = cursor.readBufferedDocuments() as unknown as Uint8Array[];
  if (documents.length === 0) return undefined;
  return {
    bson: Buffer.concat(documents),
    count: documents.length,
    last: documents[documents.length - 1] as Uint8Array,
  };
}
