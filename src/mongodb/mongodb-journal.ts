import type { Db, Document } from 'mongodb';
import { JOURNAL_COLLECTION } from '../core/own-collections.js';
import type { JournalDoc, TargetJournal } from '../target/target-journal.js';

const MAJORITY = { writeConcern: { w: 'majority' } } as const;

/**
 * The restore journal kept in the target db's `__dbfork_restore_journal` (`_id` = run id). Writes
 * that decide recovery use majority write concern: they must survive a failover.
 */
export class MongoDbJournal implements TargetJournal {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  #coll() {
    return this.#db.collection<JournalDoc & Document>(JOURNAL_COLLECTION);
  }

  async list(): Promise<JournalDoc[]> {
    return this.#coll().find({}).toArray() as Promise<JournalDoc[]>;
  }

  async insert(doc: JournalDoc): Promise<void> {
    await this.#coll().insertOne(doc, MAJORITY);
  }

  async heartbeat(runId: string, at: Date): Promise<void> {
    await this.#coll().updateOne({ _id: runId }, { $set: { heartbeatAt: at } });
  }

  async commit(runId: string, metadata: object, at: Date): Promise<void> {
    await this.#coll().updateOne(
      { _id: runId },
      { $set: { phase: 'swapping', metadata, heartbeatAt: at } },
      MAJORITY,
    );
  }

  async remove(runId: string): Promise<void> {
    await this.#coll().deleteOne({ _id: runId }, MAJORITY);
    if ((await this.#coll().countDocuments({})) === 0) {
      await this.#coll()
        .drop()
        .catch(() => undefined);
    }
  }
}
