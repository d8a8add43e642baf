/** One collection of a restore run: where its new data loads and where its old data waits. */
export interface JournalEntry {
  readonly target: string;
  readonly temp: string;
  readonly aside: string;
}

/**
 * The journal record a restore keeps in the target db (one per run, keyed by run id), written before
 * the first temporary collection exists and removed after the last step. Its phase tells a later run
 * what to do with what it finds (the semantics live in `restore/restore-journal.ts`):
 * - `loading`: temporaries may be partial → roll back;
 * - `swapping`: every temporary was complete and verified → roll forward, then write `metadata`.
 */
export interface JournalDoc {
  readonly _id: string;
  readonly phase: 'loading' | 'swapping';
  readonly owner: { readonly host: string; readonly pid: number };
  readonly startedAt: Date;
  readonly heartbeatAt: Date;
  readonly collections: readonly JournalEntry[];
  /** The snapshot_metadata record to write once the swap is complete (set when phase is swapping). */
  readonly metadata: object | null;
}

/**
 * Where a target keeps its journal records. Writes that decide recovery (`insert`, `commit`,
 * `remove`) must be durable (on MongoDB: majority write concern, so they survive a failover).
 */
export interface TargetJournal {
  list(): Promise<JournalDoc[]>;
  insert(doc: JournalDoc): Promise<void>;
  heartbeat(runId: string, at: Date): Promise<void>;
  /** Set phase `swapping` with the metadata to write: the commit point. */
  commit(runId: string, metadata: object, at: Date): Promise<void>;
  /** Forget a run; drop the journal storage once no run is left. */
  remove(runId: string): Promise<void>;
}
