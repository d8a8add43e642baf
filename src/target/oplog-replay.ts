/** What replaying a dump's oplog did, by kind of entry (nested `applyOps` entries counted one by one). */
export interface OplogReplayResult {
  /** Inserts applied (as upserts by `_id`). */
  inserted: number;
  /** Updates and replacements applied. */
  updated: number;
  deleted: number;
  /** Entries left alone: no-ops, commands, system namespaces, namespaces not restored, updates of missing documents. */
  skipped: number;
  /** The last entry's optime (`Timestamp(s, i)`), or null for an empty oplog. */
  lastOptime: string | null;
  /** Documents in each collection the replay wrote to, counted after it (by temporary name). */
  documents: Record<string, number>;
}

/**
 * Where an entry's namespace (`db.collection` as the dump names it) was loaded: the temporary
 * collection in the target database, or null when that namespace is not restored.
 */
export type OplogNamespaceResolver = (namespace: string) => string | null;

/** A new, empty result. */
export function emptyReplayResult(): OplogReplayResult {
  return { inserted: 0, updated: 0, deleted: 0, skipped: 0, lastOptime: null, documents: {} };
}
