import { MAX_BSON_SIZE, MIN_BSON_SIZE } from './archive-constants.js';
import { archiveFailure, HINT_DAMAGED, type ArchiveFailureSubject } from './archive-failure.js';
import type { ChunkReader } from './chunk-reader.js';

/** One framing unit: a terminator, a whole BSON document, or the clean end of the stream. */
export type Frame =
  | { readonly kind: 'end'; readonly offset: number }
  | { readonly kind: 'terminator'; readonly offset: number }
  | { readonly kind: 'document'; readonly offset: number; readonly bytes: Uint8Array };

const TERMINATOR_WORD = 0xffffffff;

/**
 * Read the next frame (spec §1, mongo-tools `parser.go` `readBSONOrTerminator`): a 0xFFFFFFFF word
 * is a terminator; any other word is a document length that must be in 5..16 MiB, and the document's
 * last byte must be 0x00. `allowTerminator: false` is for plain `.bson` files, where there is none.
 *
 * @param context namespace or file named in errors
 * @throws ArchiveError `ARCHIVE_TRUNCATED` (end of stream inside a word or a document),
 *   `ARCHIVE_BAD_LENGTH`, `ARCHIVE_BAD_DOCUMENT` (no trailing 0x00); `offset` is the frame's start
 */
export async function readFrame(
  reader: ChunkReader,
  context: Omit<ArchiveFailureSubject, 'offset'>,
  allowTerminator = true,
): Promise<Frame> {
  const offset = reader.offset;
  const have = reader.available >= 4 ? reader.available : await reader.ensure(4);
  if (have === 0) return { kind: 'end', offset };
  if (have < 4)
    throw archiveFailure(
      'ARCHIVE_TRUNCATED',
      `the stream ends ${have} byte${have === 1 ? '' : 's'} into a document length`,
      { ...context, offset },
      HINT_DAMAGED,
    );
  const word = reader.peekUint32();
  if (word === TERMINATOR_WORD && allowTerminator) {
    reader.take(4);
    return { kind: 'terminator', offset };
  }
  const length = word | 0;
  if (length < MIN_BSON_SIZE || length > MAX_BSON_SIZE)
    throw archiveFailure(
      'ARCHIVE_BAD_LENGTH',
      `${length} is neither a valid BSON document length (${MIN_BSON_SIZE}..${MAX_BSON_SIZE} bytes)${allowTerminator ? ' nor a terminator' : ''}`,
      { ...context, offset },
      HINT_DAMAGED,
    );
  const got = reader.available >= length ? length : await reader.ensure(length);
  if (got < length)
    throw archiveFailure(
      'ARCHIVE_TRUNCATED',
      `the stream ends inside a ${length}-byte document (${got} bytes present)`,
      { ...context, offset },
      HINT_DAMAGED,
    );
  const bytes = reader.take(length);
  if (bytes[length - 1] !== 0)
    throw archiveFailure(
      'ARCHIVE_BAD_DOCUMENT',
      `a ${length}-byte BSON document does not end with 0x00`,
      { ...context, offset },
      HINT_DAMAGED,
    );
  return { kind: 'document', offset, bytes };
}
