import { EJSON, type Document } from 'bson';
import { parseCollectionMetadata, type NamespaceSummary } from '../archive/index.js';
import type { ManifestCollection } from '../store/snapshot-manifest.js';

/**
 * The manifest's per-collection entries from what the writer wrote: counts, sizes and checksums, plus
 * the indexes and options of the collection metadata, as relaxed Extended JSON (readable, and
 * lossless enough for index keys and options).
 */
export function manifestCollections(summary: {
  readonly collections: readonly NamespaceSummary[];
}): ManifestCollection[] {
  return summary.collections.map((c) => {
    const meta = c.metadataJson
      ? parseCollectionMetadata(c.metadataJson, { namespace: c.namespace })
      : undefined;
    return {
      namespace: c.namespace,
      type: c.collectionType || 'collection',
      documents: c.documents,
      bytes: c.bytes,
      sha256: c.sha256,
      crc64: c.crc64,
      indexes: (meta?.indexes ?? []).map((index) => relaxed(index)),
      options: relaxed(meta?.options ?? {}),
    };
  });
}

function relaxed(doc: Document): Record<string, unknown> {
  return EJSON.serialize(doc, { relaxed: true }) as Record<string, unknown>;
}
