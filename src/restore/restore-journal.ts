import { hostname } from 'node:os';
import type { JournalDoc, JournalEntry, TargetJournal } from '../target/target-journal.js';

export type { JournalDoc, JournalEntry } from '../target/target-journal.js';

/** Heartbeat period of a running restore, in ms; a journal older than 6 periods counts as abandoned. */
export const HEARTBEAT_MS = 10_000;

/**
 * A restore run's journal: `begin` records it in phase `loading` before the first temporary exists,
 * `markSwapping` is the commit point (from there a later run rolls forward instead of back), and
 * `finish` forgets it after the last step. Stored by the target (`SnapshotTarget.journal`).
 */
export class RestoreJournal {
  readonly #store: TargetJournal;

  constructor(store: TargetJournal) {
    this.#store = store;
  }

  async list(): Promise<JournalDoc[]> {
    return this.#store.list();
  }

  /** Record a new run in phase `loading`, owned by this process. */
  async begin(runId: string, collections: readonly JournalEntry[]): Promise<void> {
    const now = new Date();
    await this.#store.insert({
      _id: runId,
      phase: 'loading',
      owner: { host: hostname(), pid: process.pid },
      startedAt: now,
      heartbeatAt: now,
      collections,
      metadata: null,
    });
  }

  async heartbeat(runId: string): Promise<void> {
    await this.#store.heartbeat(runId, new Date());
  }

  /** The commit point: from here on, a later run rolls forward. */
  async markSwapping(runId: string, metadata: object): Promise<void> {
    await this.#store.commit(runId, metadata, new Date());
  }

  /** Forget a finished run. */
  async finish(runId: string): Promise<void> {
    await this.#store.remove(runId);
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
