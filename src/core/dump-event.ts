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

/**
 * A run of consecutive documents of one namespace, as one event: `bson` is the documents' bytes
 * back to back (each int32 length … 0x00), `count` how many there are. A capture yields one per
 * server batch so a writer can checksum and write the bytes at once. Runs are not {@link DumpEvent}s:
 * only a writer that accepts {@link DumpRunEvent} takes them; every other stage gets the documents
 * one by one through {@link perDocument}.
 */
export interface DumpDocumentRun {
  readonly type: 'documents';
  readonly namespace: Namespace;
  readonly bson: Uint8Array;
  readonly count: number;
}

/** A {@link DumpEvent} or a {@link DumpDocumentRun}. */
export type DumpRunEvent = DumpEvent | DumpDocumentRun;

/** A stream of {@link DumpRunEvent}s, pulled with backpressure. */
export type DumpRunEventStream = AsyncIterable<DumpRunEvent>;

/**
 * The documents of a run, one view each (no copy), in order. Trusts the run's framing: each
 * document's int32 length prefix must lie inside `run.bson` (writers check it, see the archive's
 * stream guard).
 */
export function* runDocuments(run: DumpDocumentRun): Generator<DumpDocument> {
  const bytes = run.bson;
  let at = 0;
  for (let i = 0; i < run.count; i++) {
    const size =
      ((bytes[at] as number) |
        ((bytes[at + 1] as number) << 8) |
        ((bytes[at + 2] as number) << 16) |
        ((bytes[at + 3] as number) << 24)) >>>
      0;
    yield { type: 'document', namespace: run.namespace, bson: bytes.subarray(at, at + size) };
    at += size;
  }
}

/** A run stream as plain {@link DumpEvent}s: each run becomes its documents, in order. */
export async function* perDocument(events: DumpRunEventStream): AsyncGenerator<DumpEvent> {
  for await (const event of events) {
    if (event.type === 'documents') yield* runDocuments(event);
    else yield event;
  }
}
