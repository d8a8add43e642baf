import type { SnapshotManifest } from './snapshot-manifest.js';
import type { SnapshotRef } from './snapshot-ref.js';

/** A snapshot being written: its folder exists, its manifest does not yet. */
export interface PendingSnapshot {
  readonly name: string;
  readonly id: string;
  /** Local folder of the snapshot. */
  readonly dir: string;
}

/** What `list` shows of one snapshot. Only snapshots with a manifest are `complete`. */
export interface SnapshotInfo {
  readonly name: string;
  readonly id: string;
  readonly status: 'complete' | 'incomplete';
  /** For incomplete ones: whether a live process is still writing it. */
  readonly inProgress: boolean;
  readonly isLatest: boolean;
  readonly manifest: SnapshotManifest | null;
}

/** A complete snapshot, resolved for reading. */
export interface ResolvedSnapshot {
  readonly manifest: SnapshotManifest;
  /** Local path of the data: the archive file or the dump folder. */
  readonly dataPath: string;
  readonly dir: string;
}

/**
 * The snapshot store: `<name>/<snapshotId>/` folders with the data and `manifest.json` written last,
 * plus a `latest` pointer per name that only ever names a complete snapshot.
 */
export interface SnapshotStore {
  /** The store's URL, for messages. */
  readonly url: string;
  /** Start a snapshot: make its folder and claim it; remove abandoned partial snapshots of the name. */
  begin(name: string): Promise<PendingSnapshot>;
  /** Complete a snapshot: write its manifest (last, atomically), then move `latest` to it. */
  commit(pending: PendingSnapshot, manifest: SnapshotManifest): Promise<void>;
  /** Give up a pending snapshot and remove its folder. */
  abort(pending: PendingSnapshot): Promise<void>;
  /** Snapshot names in the store. */
  names(): Promise<string[]>;
  /** Snapshots, newest first, optionally of one name. */
  list(name?: string): Promise<SnapshotInfo[]>;
  /** Resolve `name@id` or `name@latest` to a complete snapshot. */
  resolve(ref: SnapshotRef): Promise<ResolvedSnapshot>;
  /** The id `latest` points to, or null. */
  latest(name: string): Promise<string | null>;
  /** Remove a snapshot. If it is `latest`, `latest` moves to the newest remaining complete snapshot. */
  delete(name: string, id: string): Promise<void>;
}
