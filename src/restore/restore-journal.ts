import { hostname } from 'node:os';
import type { Db, Document } from 'mongodb';
import { JOURNAL_COLLECTION } from './swap-names.js';

/** One collection of a run: where its new data loads and where its old data waits. */
export interface JournalEntry {
  readonly target: string;
  readonly temp: string;
  readonly aside: string;
}

/**
 * The journal document a restore keeps in the target db (`__dbfork_restore_journal`, `_id` = run id),
 * written before the first temporary collection exists and deleted after the last step. Its phase
 * tells a later run what to do with what it finds:
 * - `loading`: temporaries may be partial → roll back (drop them; the old collections were never touched);
 * - `swapping`: every temporary was complete and verified → roll forward (finish each swap, then write
 *   `metadata` as the target's `snapshot_metadata`).
 */
export interface JournalDoc {
  readonly _id: string;
  readonly phase: 'loading' | 'swapping';
  readonly owner: { readonly host: string; readonly pid: number };
  readonly startedAt: Date;
  readonly heartbeatAt: Date;
  readonly collections: readonly JournalEntry[];
  /** The snapshot_metadata record to write once the swap is complete (set when phase is swapping). */
  readonly metadata: Document | null;
}

/** Heartbeat period of a running restore, in ms; a journal older than 6 periods counts as abandoned. */
export const HEARTBEAT_MS = 10_000;

/** Typed access to the journal collection of one target db. */
export class RestoreJournal {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  #coll() {
    return this.#db.collection<JournalDoc>(JOURNAL_COLLECTION);
  }

  async list(): Promise<JournalDoc[]> {
    return this.#coll().find({}).toArray() as Promise<JournalDoc[]>;
  }

  /** Record a new run in phase `loading` (majority write concern: it must survive a failover). */
  async begin(runId: string, collections: readonly JournalEntry[]): Promise<void> {
    const now = new Date();
    await this.#coll().insertOne(
      {
        _id: runId,
        phase: 'loading',
        owner: { host: hostname(), pid: process.pid },
        startedAt: now,
        heartbeatAt: now,
        collections,
        metadata: null,
      },
      { writeConcern: { w: 'majority' } },
    );
  }

  async heartbeat(runId: string): Promise<void> {
    await this.#coll().updateOne({ _id: runId }, { $set: { heartbeatAt: new Date() } });
  }

  /** The commit point: from here on, a later run rolls forward. */
  async markSwapping(runId: string, metadata: Document): Promise<void> {
    await this.#coll().updateOne(
      { _id: runId },
      { $set: { phase: 'swapping', metadata, heartbeatAt: new Date() } },
      { writeConcern: { w: 'majority' } },
    );
  }

  /** Forget a finished run; drop the journal collection when no run is left. */
  async finish(runId: string): Promise<void> {
    await this.#coll().deleteOne({ _id: runId }, { writeConcern: { w: 'majority' } });
    if ((await this.#coll().countDocuments({})) === 0) {
      await this.#coll()
        .drop()
        .catch(() => undefined);
    }
  }
}

/**
 * True when the journal's owner may still be running: on this host, its pid is alive; elsewhere, its
 * heartbeat is fresher than 6 periods.
 */
export function ownerMayBeAlive(doc: JournalDoc, now: Date = new Date()): boolean {
  if (doc.owner.host === hostname()) {
    if (doc.owner.pid === process.pid) return false;
    try {
      process.kill(doc.owner.pid, 0);
      return now.getTime() - new Date(doc.heartbeatAt).getTime() < 6 * HEARTBEAT_MS;
    } catch {
      return false;
    }
  }
  return now.getTime() - new Date(doc.heartbeatAt).getTime() < 6 * HEARTBEAT_MS;
}
