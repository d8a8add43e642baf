import { BSON, Int32 } from 'bson';
import { ARCHIVE_FORMAT_VERSION } from './archive-constants.js';
import { asInt32or64, bsonTypeName } from './bson-fields.js';
import { archiveFailure } from './archive-failure.js';
import { decodeHeaderFields } from './header-fields.js';

/** The archive header: the first document after the magic (spec §2). */
export interface ArchiveHeader {
  readonly concurrentCollections: number;
  readonly formatVersion: string;
  readonly serverVersion: string;
  readonly toolVersion: string;
}

/** Encode the header as mongodump does: int32 `concurrent_collections`, then three strings, in this order. */
export function encodeArchiveHeader(header: ArchiveHeader): Uint8Array {
  return BSON.serialize({
    concurrent_collections: new Int32(header.concurrentCollections),
    version: header.formatVersion,
    server_version: header.serverVersion,
    tool_version: header.toolVersion,
  });
}

/**
 * Decode and check the archive header: `concurrent_collections` int32 (int64 accepted) ≥ 0, `version`
 * the string "0.1", `server_version`/`tool_version` strings (absent → ""). Unknown fields are ignored,
 * as Go's struct decoding does.
 *
 * @throws ArchiveError `ARCHIVE_BAD_HEADER` (offset 4, just after the magic)
 */
export function decodeArchiveHeader(bytes: Uint8Array, offset: number): ArchiveHeader {
  const { fields, bad } = decodeHeaderFields(bytes, offset, 'archive header');
  const cc = fields.concurrent_collections;
  const concurrentCollections = cc === undefined ? 0 : asInt32or64(cc);
  if (concurrentCollections === undefined || concurrentCollections < 0)
    throw bad(`"concurrent_collections" must be a non-negative int32, got ${bsonTypeName(cc)}`);
  const str = (key: string): string => {
    const value = fields[key];
    if (value === undefined) return '';
    if (typeof value !== 'string') throw bad(`"${key}" must be a string, got ${bsonTypeName(value)}`);
    return value;
  };
  const formatVersion = str('version');
  if (formatVersion !== ARCHIVE_FORMAT_VERSION)
    throw archiveFailure(
      'ARCHIVE_BAD_HEADER',
      `unsupported archive format version "${formatVersion}" (only "${ARCHIVE_FORMAT_VERSION}" exists)`,
      { offset },
      'this is not a mongodump archive dbfork can read',
    );
  return {
    concurrentCollections,
    formatVersion,
    serverVersion: str('server_version'),
    toolVersion: str('tool_version'),
  };
}
