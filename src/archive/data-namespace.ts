import type { Namespace } from '../core/namespace.js';
import type { CollectionEntry } from '../core/dump-event.js';

/**
 * The namespace whose documents carry a prelude entry's data. It is the entry's own namespace, except
 * for time-series collections: the prelude names the view `X` (type "timeseries") and the data comes as
 * `system.buckets.X` (spec §3, mongo-tools `archive.go` `CollectionMetadata`). Document and end events
 * of such an entry use the buckets namespace.
 */
export function dataNamespaceOf(entry: CollectionEntry): Namespace {
  return entry.collectionType === 'timeseries'
    ? { db: entry.namespace.db, collection: `system.buckets.${entry.namespace.collection}` }
    : entry.namespace;
}
