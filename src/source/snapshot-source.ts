import type { CollectionEntry, DumpEventStream, DumpRunEventStream } from '../core/dump-event.js';
import type { ProgressListener } from '../core/progress.js';
import type { CapturePlanRow } from './capture-plan.js';
import type { ConsistencyMode, ConsistencyRecord } from './consistency.js';
import type { SourceDescription } from './source-description.js';

/** MongoDB's read preference modes: which members of a replicated source a capture reads from. */
export const READ_PREFERENCES = [
  'primary',
  'primaryPreferred',
  'secondary',
  'secondaryPreferred',
  'nearest',
] as const;

/** Which members of a replicated source a capture reads from (one of {@link READ_PREFERENCES}). */
export type ReadPreference = (typeof READ_PREFERENCES)[number];

/** A filter restricting a collection's capture to a subset, in the engine's query language. */
export type CollectionQuery = Readonly<Record<string, unknown>>;

/**
 * The `_id`s a capture reads of one collection (a subset's selection, which may be kept on disk),
 * handed out in batches so that no query and no list in memory grows with the selection.
 */
export interface IdSelection {
  /** How many `_id`s the selection holds. */
  readonly count: number;
  /** The `_id` values, `size` at a time, each once. */
  batches(size: number): Iterable<readonly unknown[]>;
}

/** Which collections of a database a capture reads, and which subset of each. */
export interface CaptureSelection {
  /** Namespace globs (`db.coll`, `*` wildcards); empty = everything. */
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** Per-collection filters (a subset), by collection name. */
  readonly queries?: Readonly<Record<string, CollectionQuery>>;
  /** Per-collection `_id` selections, read by `_id` in batches; a collection here ignores `queries`. */
  readonly ids?: Readonly<Record<string, IdSelection>>;
}

export interface CaptureOptions extends CaptureSelection {
  readonly db: string;
  /** Collections read at once (default 4). */
  readonly parallelCollections?: number;
  /** Documents per cursor batch (default 1000). */
  readonly batchSize?: number;
  /** Attempts per read, including the first (default 5). */
  readonly attempts?: number;
  /** Point-in-time consistency (default `none`: each collection as it is when read). */
  readonly consistency?: ConsistencyMode;
  /** Refuse a member that lags the primary by more than this many milliseconds. */
  readonly maxLagMs?: number;
  readonly onProgress?: ProgressListener;
}

/** A capture in progress: what the prelude lists, and the stream to pull. */
export interface Capture {
  readonly serverVersion: string;
  readonly collections: readonly CollectionEntry[];
  /** The dump stream: the prelude, then the collections' documents (interleaved), each ended. */
  readonly events: DumpEventStream;
  /**
   * The same stream with each server batch's documents as one run (`documents` events), for a
   * writer that takes runs (the archive writer). The two are views of one read: iterate `events`
   * or `runs`, never both. Absent when the source reads document by document.
   */
  readonly runs?: DumpRunEventStream;
  /** The consistency the capture has; complete (end optime) once `events` has ended. */
  readonly consistency?: () => ConsistencyRecord;
}

/** What a whole-server capture reads: every database but the server's own, selected by the globs. */
export type ServerCaptureOptions = Omit<CaptureOptions, 'db' | 'queries'>;

/** A namespace a capture left out on purpose, and why (e.g. users the server does not expose). */
export interface SkippedNamespace {
  readonly namespace: string;
  readonly reason: string;
}

/** A whole-server capture: one stream over the namespaces of every database it holds (`db.coll`). */
export interface ServerCapture extends Capture {
  /** The databases the stream holds, sorted. */
  readonly databases: readonly string[];
  readonly skipped: readonly SkippedNamespace[];
}

/**
 * A connected production database server as the capture side sees it, whatever the engine (the
 * `mongodb/` adapter implements it). Every method only reads.
 */
export interface SnapshotSource {
  /**
   * What a capture of `db` would read, without reading any document.
   *
   * @throws SourceError when the server cannot be read
   */
  list(db: string, selection: CaptureSelection): Promise<CapturePlanRow[]>;
  /** The server: version, topology, databases with counts, probed capabilities (`dbfork doctor`). */
  describe(): Promise<SourceDescription>;
  /**
   * Capture one database as a dump stream (documents as the raw BSON the server sent).
   *
   * @throws SourceError `SOURCE_READ_FAILED` when a read fails for good
   */
  capture(options: CaptureOptions): Promise<Capture>;
  /**
   * Capture every database of the server (as mongodump without `--db`): the server's internal
   * databases left out, its users and roles included where it exposes them (else listed as skipped).
   *
   * @throws SourceError `SOURCE_READ_FAILED` when a read fails for good
   */
  captureServer(options: ServerCaptureOptions): Promise<ServerCapture>;
  /** Release the connection, when the source owns it. */
  close(): Promise<void>;
}
