import type { Document } from 'bson';
import { parseCollectionMetadata } from '../archive/collection-metadata.js';

/** A unique index as far as anonymization cares: its key paths and whether missing fields count. */
export interface UniqueIndex {
  readonly name: string;
  /** Key field paths (`email`, `profile.handle`); more than one for a compound index. */
  readonly paths: readonly string[];
  /** Sparse or partial: documents without the field (or outside the filter) are not indexed. */
  readonly sparseOrPartial: boolean;
}

/**
 * The unique indexes of a collection, from its prelude metadata (canonical Extended JSON, parsed with
 * the archive codec's `parseCollectionMetadata`). The `_id` index is always unique (it has no
 * `unique` flag); views and metadata-less entries have only `_id` when they are collections.
 *
 * @throws ArchiveError `ARCHIVE_BAD_METADATA` when the metadata text is not valid
 */
export function uniqueIndexesOf(
  metadataJson: string,
  collectionType: string,
  namespace: string,
): UniqueIndex[] {
  if (collectionType === 'view') return [];
  const out: UniqueIndex[] = [{ name: '_id_', paths: ['_id'], sparseOrPartial: false }];
  if (!metadataJson) return out;
  for (const index of parseCollectionMetadata(metadataJson, { namespace }).indexes) {
    if (index.unique !== true || !isKey(index.key)) continue;
    const paths = Object.keys(index.key);
    if (paths.length === 1 && paths[0] === '_id') continue;
    out.push({
      name: typeof index.name === 'string' ? index.name : paths.join('_'),
      paths,
      sparseOrPartial: index.sparse === true || index.partialFilterExpression !== undefined,
    });
  }
  return out;
}

function isKey(key: unknown): key is Document {
  return typeof key === 'object' && key !== null && !Array.isArray(key);
}
