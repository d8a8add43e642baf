/**
 * Stable error codes of the archive codec (category `archive`, exit code 4). Listed in docs/errors.md.
 * Every error names what is at fault in its `subject`: `namespace` and `offset` (byte offset in the
 * uncompressed stream) for archives, `file` and `offset` for directory dumps.
 */
export const ARCHIVE_ERROR_CODES = [
  /** The stream does not start with the archive magic 6D E2 99 81 (and is not gzip). */
  'ARCHIVE_BAD_MAGIC',
  /** The stream ended inside a block, a document or the magic. */
  'ARCHIVE_TRUNCATED',
  /** A word that should be a document length is outside 5..16 MiB and is not a terminator. */
  'ARCHIVE_BAD_LENGTH',
  /** A document does not end with 0x00 or is not valid BSON where it must be parsed. */
  'ARCHIVE_BAD_DOCUMENT',
  /** A header (archive header, prelude entry or namespace header) is malformed or has wrong field types. */
  'ARCHIVE_BAD_HEADER',
  /** A namespace's `metadata` / `.metadata.json` is not valid Extended JSON. */
  'ARCHIVE_BAD_METADATA',
  /** A namespace appears in the data but not in the prelude. */
  'ARCHIVE_UNKNOWN_NAMESPACE',
  /** A namespace reappears after its EOF header. */
  'ARCHIVE_NAMESPACE_REOPENED',
  /** The stream ended before every prelude namespace had its EOF header. */
  'ARCHIVE_NOT_CLOSED',
  /** The CRC-64 of a namespace's documents differs from its EOF header. */
  'ARCHIVE_CRC_MISMATCH',
  /** The gzip wrapping is corrupt. */
  'ARCHIVE_BAD_GZIP',
  /** A writer got more namespaces open at once than the archive header declares. */
  'ARCHIVE_TOO_MANY_OPEN',
  /** A writer got events out of order (no prelude first, two preludes). */
  'ARCHIVE_BAD_EVENT_ORDER',
  /** A database or collection name cannot be stored safely as a file (directory layout). */
  'ARCHIVE_BAD_NAME',
] as const;

export type ArchiveErrorCode = (typeof ARCHIVE_ERROR_CODES)[number];
