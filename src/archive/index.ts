/** The mongodump-compatible dump codec: archive and directory readers and writers, and their parts. */
export {
  openDumpReader,
  readDump,
  writeDump,
  type DumpFormat,
  type DumpReader,
  type ReadDumpOptions,
  type WriteDumpOptions,
  type WriteSummary,
} from './open-dump.js';
export { readArchive, type ReadArchiveOptions } from './archive-reader.js';
export { AGE_HEADER, decryptIfAge, type DumpDecrypter } from './age-detect.js';
export { writeArchive, type ArchiveWriteResult, type WriteArchiveOptions } from './archive-writer.js';
export { readDirectory, type ReadDirectoryOptions } from './directory-reader.js';
export { writeDirectory, type DirectoryWriteResult, type WriteDirectoryOptions } from './directory-writer.js';
export type { DumpFileSource, DumpFileTarget, DumpFileUpload } from './dump-files.js';
export { fsDumpFileSource, fsDumpFileTarget } from './fs-dump-files.js';
export type { NamespaceSummary } from './namespace-tally.js';
export { Crc64, crc64, crc64Hex } from './crc64.js';
export {
  buildCollectionMetadata,
  parseCollectionMetadata,
  type CollectionMetadata,
} from './collection-metadata.js';
export {
  collectionFileStem,
  collectionFromFileStem,
  queryEscape,
  queryUnescape,
} from './file-name-escape.js';
export { dataNamespaceOf } from './data-namespace.js';
export { ARCHIVE_ERROR_CODES, type ArchiveErrorCode } from './archive-error-codes.js';
export { MAX_BSON_SIZE } from './archive-constants.js';
