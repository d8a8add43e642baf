/**
 * The lock record of a preview database: the `{_id: 'lock'}` document of its `snapshot_metadata`
 * collection, written while the pull request carries `persist-db`. Restores never touch it (they
 * replace only `{_id: 'latest'}`), so it survives every refresh; every destructive preview path reads
 * it and refuses.
 */
export interface PreviewLockRecord {
  readonly _id: 'lock';
  readonly locked: true;
  /** The pull request whose label locked it. */
  readonly pr: number;
  /** The label that locks it (`persist-db`). */
  readonly label: string;
  readonly lockedAt: Date;
}

/** How a preview database was made: the `{_id: 'preview'}` document of its `snapshot_metadata`. */
export interface PreviewRecord {
  readonly _id: 'preview';
  readonly pr: number;
  readonly source: 'seed' | 'snapshot' | 'staging';
  /** `name@id` of the snapshot restored, or null. */
  readonly snapshotId: string | null;
  /** When that snapshot was taken, or null. */
  readonly takenAt: Date | null;
  readonly createdAt: Date;
}

/** What a preview database holds of dbfork's records. */
export interface PreviewDatabaseRecords {
  readonly exists: boolean;
  readonly lock: PreviewLockRecord | null;
  readonly preview: PreviewRecord | null;
  /** The last restore's snapshot_metadata `latest` record: snapshot id and when it was taken. */
  readonly latest: { readonly snapshotId: string | null; readonly takenAt: Date | null } | null;
}

/**
 * The preview databases of one server, whatever the engine (the `mongodb/` adapter implements it):
 * list them, read and write their lock and preview records, drop one.
 * Errors are thrown as dbfork errors of category `target`.
 */
export interface PreviewDatabases {
  /** Names of the databases on the server. */
  listDatabases(): Promise<string[]>;
  records(db: string): Promise<PreviewDatabaseRecords>;
  writeLock(db: string, lock: PreviewLockRecord): Promise<void>;
  removeLock(db: string): Promise<void>;
  writePreview(db: string, record: PreviewRecord): Promise<void>;
  /** Drop the whole database (idempotent). */
  dropDatabase(db: string): Promise<void>;
  close(): Promise<void>;
}
