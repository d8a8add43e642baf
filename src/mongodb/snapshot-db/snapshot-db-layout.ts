/**
 * How a snapshot database holds its snapshots (one database = one snapshot name):
 *
 * - every generation (one snapshot id) has its own collections, `<id>.<collection>`
 *   (`20261122T032900123Z-9f3a.orders`), so a refresh never touches what readers read;
 * - `snapshot_metadata` holds one `generation:<id>` document per generation (its lease while it is
 *   written, the key → collection map, the manifest as JSON once complete) and the `latest` document,
 *   written last, naming the newest complete generation (`{_id: 'latest', timestamp, source,
 *   collections, status: 'complete', method}`, the shape other tools read, plus `generation` and
 *   `manifestJson`);
 * - `__dbfork_snapshot_files` holds a generation's small non-document objects (collection metadata
 *   text, the dump prelude) as `{_id: '<id>/<key>', generation, key, data}`.
 */
export const METADATA_COLLECTION = 'snapshot_metadata';
export const FILES_COLLECTION = '__dbfork_snapshot_files';
export const LATEST_ID = 'latest';

/** The collection of `collection` in generation `id`. */
export function generationCollection(id: string, collection: string): string {
  return `${id}.${collection}`;
}

/** `_id` of a generation's document in `snapshot_metadata`. */
export function generationDocId(id: string): string {
  return `generation:${id}`;
}

/** The generation document, as stored. */
export interface GenerationDoc {
  readonly _id: string;
  readonly kind: 'generation';
  readonly id: string;
  readonly status: 'incomplete' | 'complete';
  readonly startedAt: Date;
  /** The writer's lease (JSON of `SnapshotLease`); removed at commit. */
  readonly lease?: string;
  /** Every `.bson` object stored: its key and the generation collection holding its documents. */
  readonly files: readonly { readonly key: string; readonly collection: string }[];
  /** The manifest (`serializeManifest`), present exactly when complete. */
  readonly manifestJson?: string;
}

/** The `latest` document: timestamp, source, collections, status, method, the generation and its manifest. */
export interface LatestDoc {
  readonly _id: 'latest';
  readonly generation: string;
  readonly timestamp: Date;
  readonly source: string;
  readonly collections: readonly string[];
  /** collection → generation collection. */
  readonly namespaces: Readonly<Record<string, string>>;
  readonly status: 'complete';
  readonly method: string;
  readonly anonymized: boolean;
  readonly rulesDigest: string | null;
  readonly manifestJson: string;
}
