import type { Readable, Writable } from 'node:stream';
import type { SnapshotLease } from './snapshot-lease.js';
import type { SnapshotManifest } from './snapshot-manifest.js';
import type { SnapshotRef } from './snapshot-ref.js';

/** One object of a snapshot being stored: write its bytes into `stream` and end it, then await `done`. */
export interface SnapshotUpload {
  /** Paced by the store (await `drain`); destroy it to abort, which stores nothing. */
  readonly stream: Writable;
  /** Resolves with the stored size in bytes once the object is stored whole; rejects if it is not. */
  readonly done: Promise<number>;
}

/** A snapshot being written: it holds a lease, renewed while it is open; it has no manifest yet. */
export interface PendingSnapshot {
  readonly name: string;
  readonly id: string;
  /**
   * Store an object of the snapshot under `key`, relative to the snapshot (`data.archive`,
   * `dump/shop/orders.bson`). It is visible only once whole.
   * @throws StoreError `STORE_BAD_KEY` for an invalid or reserved key (`manifest.json`, `.lock`)
   */
  upload(key: string): SnapshotUpload;
}

/** What `list` shows of one snapshot. Only snapshots with a manifest are `complete`. */
export interface SnapshotInfo {
  readonly name: string;
  readonly id: string;
  readonly status: 'complete' | 'incomplete';
  /** For incomplete ones: whether a writer still holds a live lease on it. */
  readonly inProgress: boolean;
  readonly isLatest: boolean;
  readonly manifest: SnapshotManifest | null;
  /** For incomplete ones: the writer's lease, when one was found. */
  readonly lease: SnapshotLease | null;
}

/** A complete snapshot, resolved for reading. */
export interface ResolvedSnapshot {
  readonly manifest: SnapshotManifest;
  /**
   * An object of the snapshot as a byte stream, pulled with backpressure.
   * @throws StoreError `STORE_OBJECT_NOT_FOUND`, `STORE_READ_FAILED`
   */
  open(key: string): Promise<Readable>;
  /** Keys of the snapshot's objects under `prefix` (relative to the snapshot, `""` for all), sorted. */
  keys(prefix: string): Promise<string[]>;
  /** Where an object lives, for messages only (a path or a URL). */
  locate(key: string): string;
  /**
   * A URL to GET one object of the snapshot (`manifest.json` or a data key) until it expires; present
   * only when the store can sign URLs (S3, GCS).
   * @throws StoreError `STORE_READ_FAILED` when the store's credentials cannot sign
   */
  signedUrl?(key: string, expiresInSeconds: number): Promise<string>;
}

/**
 * The snapshot catalogue: the store interface commands use. Snapshots are named; each has an id, its
 * objects, and a manifest written last (a snapshot is complete exactly when its manifest exists);
 * `latest` per name only ever names a complete snapshot. It deals in keys, never paths: an
 * `ObjectStore` backs it (`ObjectSnapshotCatalog`), or a backend implements it directly.
 */
export interface SnapshotCatalog {
  /** The store's URL, for messages. */
  readonly url: string;
  /**
   * Start a snapshot: take a lease on a new id; remove abandoned incomplete snapshots of the name.
   * @throws UsageError `SNAPSHOT_BAD_NAME`; StoreError from the store
   */
  begin(name: string): Promise<PendingSnapshot>;
  /**
   * Complete a snapshot: write its manifest (last, atomically), then move `latest` to it.
   * @throws StoreError `SNAPSHOT_LEASE_LOST` when the snapshot was removed as abandoned meanwhile
   */
  commit(pending: PendingSnapshot, manifest: SnapshotManifest): Promise<void>;
  /** Give up a pending snapshot and remove everything it stored. */
  abort(pending: PendingSnapshot): Promise<void>;
  /** Snapshot names in the store, sorted. */
  names(): Promise<string[]>;
  /** Snapshots, newest first, optionally of one name. */
  list(name?: string): Promise<SnapshotInfo[]>;
  /**
   * What `list` shows of one snapshot, read on its own (a few requests, not a listing of the name),
   * or null when it does not exist.
   */
  info(name: string, id: string): Promise<SnapshotInfo | null>;
  /**
   * Resolve `name@id`, `name@latest` or `name@YYYY-MM-DD` (the newest complete snapshot whose
   * manifest `createdAt` falls on that UTC day, see `snapshot-date.ts`) to a complete snapshot.
   * @throws StoreError `SNAPSHOT_NOT_FOUND` (for a day: listing the nearest days that have one),
   *   `SNAPSHOT_BAD_MANIFEST`
   */
  resolve(ref: SnapshotRef): Promise<ResolvedSnapshot>;
  /** The id `latest` points to (only ever a complete snapshot), or null. */
  latest(name: string): Promise<string | null>;
  /**
   * Remove a snapshot. If it is `latest`, `latest` moves to the newest remaining complete snapshot.
   * @throws StoreError `SNAPSHOT_NOT_FOUND`; UsageError `SNAPSHOT_BAD_NAME`, `SNAPSHOT_BAD_REF`
   */
  delete(name: string, id: string): Promise<void>;
}
