import { BSON, EJSON, Int32 } from 'bson';
import type { CollectionEntry } from '../core/dump-event.js';
import { asInt32or64, bsonTypeName } from './bson-fields.js';
import { archiveFailure } from './archive-failure.js';
import { decodeHeaderFields } from './header-fields.js';

/**
 * Encode one collection-metadata document of the prelude (spec §3): `db`, `collection`, `metadata`
 * (the metadata.json text), `size` int32 0 (mongodump never sets it), `type`.
 */
export function encodePreludeEntry(entry: CollectionEntry): Uint8Array {
  return BSON.serialize({
    db: entry.namespace.db,
    collection: entry.namespace.collection,
    metadata: entry.metadataJson,
    size: new Int32(0),
    type: entry.collectionType,
  });
}

/**
 * Decode and check one prelude entry: `db`, `collection`, `metadata` strings (`collection` non-empty),
 * `size` int32 or int64, `type` string or absent (tools older than ~100.3). A non-empty `metadata` must
 * parse as Extended JSON (canonical, relaxed or legacy).
 *
 * @throws ArchiveError `ARCHIVE_BAD_HEADER`, `ARCHIVE_BAD_METADATA`
 */
export function decodePreludeEntry(bytes: Uint8Array, offset: number): CollectionEntry {
  const { fields, bad } = decodeHeaderFields(bytes, offset, 'prelude entry');
  const { db, collection, metadata, size, type } = fields;
  if (typeof db !== 'string') throw bad(`"db" must be a string, got ${bsonTypeName(db)}`);
  if (typeof collection !== 'string')
    throw bad(`"collection" must be a string, got ${bsonTypeName(collection)}`);
  if (collection === '') throw bad('"collection" is empty');
  const namespace = `${db}.${collection}`;
  if (metadata !== undefined && typeof metadata !== 'string')
    throw bad(`"metadata" of ${namespace} must be a string, got ${bsonTypeName(metadata)}`);
  if (size !== undefined && asInt32or64(size) === undefined)
    throw bad(`"size" of ${namespace} must be an int32 or int64, got ${bsonTypeName(size)}`);
  if (type !== undefined && typeof type !== 'string')
    throw bad(`"type" of ${namespace} must be a string, got ${bsonTypeName(type)}`);
  const metadataJson = metadata ?? '';
  checkMetadataJson(metadataJson, { namespace, offset });
  return { namespace: { db, collection }, collectionType: type ?? '', metadataJson };
}

/**
 * Check that metadata text parses as Extended JSON, as mongorestore's `bson.UnmarshalExtJSON` needs.
 * @throws ArchiveError `ARCHIVE_BAD_METADATA`
 */
function checkMetadataJson(
  text: string,
  subject: { namespace: string; offset?: number; file?: string },
): void {
  if (text === '') return;
  try {
    const value: unknown = EJSON.parse(text, { relaxed: false });
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error('not a JSON object');
  } catch (error) {
    throw archiveFailure(
      'ARCHIVE_BAD_METADATA',
      `the metadata of ${subject.namespace} is not valid Extended JSON: ${(error as Error).message}`,
      subject,
      'the collection metadata (options and indexes) is damaged; mongorestore would refuse it too',
      error,
    );
  }
}
