import type { Namespace } from './namespace.js';

/**
 * The one stream shape every stage speaks: readers (archive, directory, MongoDB capture) produce it,
 * the anonymizer maps it, writers (archive, directory) and the restore engine consume it.
 *
 * Order rules (the mongodump archive's, mongo-tools `common/archive`, spec §1-§6 in docs/archive-format.md):
 * - exactly one `prelude` first, listing every namespace that will appear;
 * - then, per namespace, any number of `document` events, possibly interleaved with other
 *   namespaces' documents, and exactly one `end` after its last document;
 * - a namespace never reappears after its `end`; every namespace of the prelude is ended.
 */
export type DumpEvent = DumpPrelude | DumpDocument | DumpNamespaceEnd;

/** The archive header plus one metadata entry per namespace. */
export interface DumpPrelude {
  readonly type: 'prelude';
  /** `server_version` of the source (e.g. "7.0.42"); "" when unknown. */
  readonly serverVersion: string;
  /** `tool_version` of the writer. */
  readonly toolVersion: string;
  /** `concurrent_collections` declared by the writer (archives only; 1 for directories). */
  readonly concurrentCollections: number;
  readonly collections: readonly CollectionEntry[];
}

/** One namespace of the prelude. */
export interface CollectionEntry {
  readonly namespace: Namespace;
  /** listCollections type: "collection", "view", "timeseries", or "" for special intents (oplog). */
  readonly collectionType: string;
  /**
   * The exact text of `<coll>.metadata.json` (canonical Extended JSON v2, compact), "" when absent.
   * Kept as text so a pass-through rewrite is byte-identical; parse it with {@link parseCollectionMetadata}.
   */
  readonly metadataJson: string;
}

/** One document, as raw BSON bytes (int32 length … 0x00). Decoded only when a transform needs to. */
export interface DumpDocument {
  readonly type: 'document';
  readonly namespace: Namespace;
  readonly bson: Uint8Array;
}

/** The end of one namespace's data. */
export interface DumpNamespaceEnd {
  readonly type: 'end';
  readonly namespace: Namespace;
  /**
   * CRC-64/XZ of the concatenated document bytes as the reader saw them (archive EOF header), or
   * undefined when the source had none (directory dump, live capture). Writers recompute their own.
   */
  readonly crc64?: bigint;
}

/** A source of dump events, pulled with backpressure (for await … of). */
export type DumpEventStream = AsyncIterable<DumpEvent>;
