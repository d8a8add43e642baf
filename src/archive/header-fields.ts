import type { ArchiveError } from '../errors/index.js';
import { archiveFailure, HINT_DAMAGED } from './archive-failure.js';
import { decodeRawFields, isBsonError, type RawFields } from './bson-fields.js';

/** A header document's fields, and the error to throw about it. */
export interface HeaderFields {
  readonly fields: RawFields;
  /** An `ARCHIVE_BAD_HEADER` error naming the header and its offset. */
  readonly bad: (why: string, cause?: unknown) => ArchiveError;
}

/**
 * Decode one header document of an archive (archive header, prelude entry, namespace header).
 * @param what - what it is, for messages ("archive header", "prelude entry", …)
 * @param offset - its byte offset in the uncompressed stream
 * @throws ArchiveError `ARCHIVE_BAD_HEADER` when the bytes are not a valid BSON document
 */
export function decodeHeaderFields(bytes: Uint8Array, offset: number, what: string): HeaderFields {
  const bad = (why: string, cause?: unknown): ArchiveError =>
    archiveFailure('ARCHIVE_BAD_HEADER', `bad ${what}: ${why}`, { offset }, HINT_DAMAGED, cause);
  try {
    return { fields: decodeRawFields(bytes), bad };
  } catch (error) {
    if (isBsonError(error)) throw bad(error.message, error);
    throw error;
  }
}
