import { EJSON } from 'bson';
import type { Document } from 'mongodb';
import { ArchiveError } from '../errors/index.js';

/** What a dump's `<coll>.metadata.json` says about a collection, as BSON-typed values. */
export interface CollectionMetadata {
  /** `create` options (capped, size, validator, collation, …); `{}` when absent. */
  readonly options: Document;
  /** Index specs as dumped (with `v`, maybe `ns`). */
  readonly indexes: readonly Document[];
}

/**
 * Parse the metadata.json text of a prelude entry (canonical Extended JSON; types kept: an Int32 stays
 * an Int32, so index keys and options reach the server as dumped). "" gives no options, no indexes.
 *
 * @throws ArchiveError `ARCHIVE_BAD_METADATA` when the text is not a JSON object
 */
export function parseCollectionMetadata(text: string, namespace: string): CollectionMetadata {
  if (text.trim() === '') return { options: {}, indexes: [] };
  let parsed: unknown;
  try {
    parsed = EJSON.parse(text, { relaxed: false });
  } catch (error) {
    throw new ArchiveError('ARCHIVE_BAD_METADATA', `metadata of ${namespace} is not valid Extended JSON`, {
      subject: { namespace },
      cause: error,
    });
  }
  if (!parsed || typeof parsed !== 'object') {
    throw new ArchiveError('ARCHIVE_BAD_METADATA', `metadata of ${namespace} is not a JSON object`, {
      subject: { namespace },
    });
  }
  const doc = parsed as Document;
  const options = doc.options && typeof doc.options === 'object' ? (doc.options as Document) : {};
  const indexes = Array.isArray(doc.indexes)
    ? (doc.indexes as unknown[]).filter((i): i is Document => !!i && typeof i === 'object')
    : [];
  return { options, indexes };
}
