import { EJSON, type Document } from 'bson';
import { archiveFailure } from './archive-failure.js';

/** The content of a `<coll>.metadata.json` (and of a prelude entry's `metadata` string). */
export interface CollectionMetadata {
  /** listCollections `options` (capped, validator, timeseries, viewOn…); `{}` when none. */
  readonly options: Document;
  /** listIndexes documents, verbatim (BSON types kept: `v` is Int32, key directions Int32/Double/string). */
  readonly indexes: Document[];
  /** listCollections `info.uuid` as 32 lowercase hex digits, when known. */
  readonly uuid?: string;
  /** The collection name (mongodump ≥ 100.x writes it; older dumps do not). */
  readonly collectionName?: string;
  /** listCollections type: "collection", "view", "timeseries"; undefined when absent (older dumps). */
  readonly collectionType?: string;
}

/**
 * Parse metadata text: canonical Extended JSON v2 as mongodump writes it, but relaxed and legacy JSON
 * (`{"v":2}`, old dumps) are accepted too, as mongorestore's `bson.UnmarshalExtJSON` does (spec §9).
 * Numbers keep their BSON type (`{"$numberInt":"2"}` → Int32; a bare integer → Int32 or Long).
 *
 * @param subject names the namespace or file in errors
 * @throws ArchiveError `ARCHIVE_BAD_METADATA` when the text is not an Extended JSON object or
 *   `options`/`indexes`/`uuid`/`collectionName`/`type` have the wrong JSON type
 */
export function parseCollectionMetadata(
  text: string,
  subject: { namespace?: string; file?: string } = {},
): CollectionMetadata {
  const fail = (why: string, cause?: unknown) =>
    archiveFailure(
      'ARCHIVE_BAD_METADATA',
      `collection metadata${subject.namespace ? ` of ${subject.namespace}` : ''} is invalid: ${why}`,
      subject,
      'the collection metadata (options and indexes) is damaged; mongorestore would refuse it too',
      cause,
    );
  let value: unknown;
  try {
    value = EJSON.parse(text, { relaxed: false });
  } catch (error) {
    throw fail((error as Error).message, error);
  }
  if (!isDocument(value)) throw fail('not a JSON object');
  const { options, indexes, uuid, collectionName, type } = value;
  if (options !== undefined && !isDocument(options)) throw fail('"options" is not an object');
  if (indexes !== undefined && (!Array.isArray(indexes) || !indexes.every(isDocument)))
    throw fail('"indexes" is not an array of objects');
  if (uuid !== undefined && typeof uuid !== 'string') throw fail('"uuid" is not a string');
  if (collectionName !== undefined && typeof collectionName !== 'string')
    throw fail('"collectionName" is not a string');
  if (type !== undefined && typeof type !== 'string') throw fail('"type" is not a string');
  return {
    options: options ?? {},
    indexes: (indexes as Document[] | undefined) ?? [],
    ...(uuid === undefined ? {} : { uuid }),
    ...(collectionName === undefined ? {} : { collectionName }),
    ...(type === undefined ? {} : { collectionType: type }),
  };
}

/**
 * Build metadata text as mongodump writes it (`mongodump/metadata_dump.go`): canonical Extended JSON v2,
 * compact, keys in the order `options` (omitted when empty), `indexes` (always), `uuid` (omitted when
 * absent), `collectionName`, `type` (omitted when empty). Give BSON-typed values (Int32 for `v` and key
 * directions) to get mongodump's `{"$numberInt":"1"}`; plain JS numbers become Int32 or Double by value.
 */
export function buildCollectionMetadata(meta: CollectionMetadata): string {
  const out: Document = {};
  if (Object.keys(meta.options).length > 0) out.options = meta.options;
  out.indexes = meta.indexes;
  if (meta.uuid) out.uuid = meta.uuid;
  if (meta.collectionName !== undefined) out.collectionName = meta.collectionName;
  if (meta.collectionType) out.type = meta.collectionType;
  return EJSON.stringify(out, { relaxed: false });
}

function isDocument(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('_bsontype' in value);
}
