/**
 * Byte-level constants of the mongodump archive format
 * (spec §1 in docs/archive-format.md, mongo-tools `common/archive/archive.go`).
 */

/** `0x8199e26d` little-endian: the first four bytes of every archive. */
export const ARCHIVE_MAGIC: Uint8Array = Uint8Array.of(0x6d, 0xe2, 0x99, 0x81);

/** `0xffffffff`: ends the prelude and every block. */
export const ARCHIVE_TERMINATOR: Uint8Array = Uint8Array.of(0xff, 0xff, 0xff, 0xff);

/** The archive format version mongodump writes in the header (`archive.go:143`). */
export const ARCHIVE_FORMAT_VERSION = '0.1';

/** Smallest BSON document: int32 length + 0x00. */
export const MIN_BSON_SIZE = 5;

/** `db.MaxBSONSize`: 16 MiB, the largest document (and header) the format allows, in bytes. */
export const MAX_BSON_SIZE = 16 * 1024 * 1024;

/** The two bytes that start a gzip member (RFC 1952). */
export const GZIP_MAGIC: Uint8Array = Uint8Array.of(0x1f, 0x8b);
