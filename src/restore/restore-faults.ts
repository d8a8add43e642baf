import type { DumpEvent, DumpEventStream } from '../core/dump-event.js';
import {
  ArchiveError,
  InternalError,
  isDbforkError,
  TargetError,
  type DbforkError,
} from '../errors/index.js';
import type { SnapshotTarget } from '../target/snapshot-target.js';
import type { TargetJournal } from '../target/target-journal.js';

/** Who failed a restore: the dump being read, the target being written, or dbfork itself. */
export type RestoreFault = 'input' | 'target' | 'engine';

/**
 * A failure as a dbfork error of the category of whoever is at fault. dbfork errors keep their own
 * category (an `ArchiveError` from the reader, a `TransformError` from the anonymizer, a
 * `TargetError` from the adapter); anything else is labelled by where it came from:
 * - `input`: `ArchiveError` `DUMP_READ_FAILED` (an I/O error of the file, stdin or store stream);
 * - `target`: `TargetError` `TARGET_WRITE_FAILED`;
 * - `engine`: `InternalError` `INTERNAL` (a bug).
 */
export function blame(error: unknown, fault: RestoreFault): DbforkError {
  if (isDbforkError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (fault === 'input') {
    return new ArchiveError('DUMP_READ_FAILED', `reading the dump failed: ${message}`, {
      hint: 'the target keeps its old collections; check the dump file, stdin or the snapshot store, then rerun',
      cause: error,
    });
  }
  if (fault === 'target') {
    return new TargetError('TARGET_WRITE_FAILED', `the target failed: ${message}`, {
      hint: 'the old collections are untouched unless the swap had begun (a rerun finishes it); rerun once the cause is fixed',
      cause: error,
    });
  }
  return new InternalError(`the restore failed: ${message}`, { cause: error });
}

/** The stream as it is, with any error it throws while pulled blamed on the input. */
export async function* blameInput(events: DumpEventStream): AsyncGenerator<DumpEvent> {
  const iterator = events[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<DumpEvent>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw blame(error, 'input');
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.(undefined);
  }
}

/** The target as it is, with any error its methods throw blamed on the target. */
export function blameTarget(target: SnapshotTarget): SnapshotTarget {
  const onTarget =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      fn(...args).catch((error: unknown) => {
        throw blame(error, 'target');
      });
  const j = target.journal;
  const journal: TargetJournal = {
    list: onTarget(() => j.list()),
    insert: onTarget((doc) => j.insert(doc)),
    heartbeat: onTarget((runId, at) => j.heartbeat(runId, at)),
    commit: onTarget((runId, metadata, at) => j.commit(runId, metadata, at)),
    remove: onTarget((runId) => j.remove(runId)),
  };
  return {
    db: target.db,
    journal,
    capabilities: onTarget(() => target.capabilities()),
    checkLive: onTarget((request) => target.checkLive(request)),
    listCollections: onTarget(() => target.listCollections()),
    prepare: onTarget((request) => target.prepare(request)),
    load: onTarget((request) => target.load(request)),
    finish: onTarget((request) => target.finish(request)),
    swap: onTarget((entry, strategy) => target.swap(entry, strategy)),
    discard: onTarget((entry) => target.discard(entry)),
    drop: onTarget((collection) => target.drop(collection)),
    writeMetadata: onTarget((metadata) => target.writeMetadata(metadata)),
    readMetadata: onTarget(() => target.readMetadata()),
    clearMetadata: onTarget(() => target.clearMetadata()),
    replayOplog: onTarget((entries, resolve) => target.replayOplog(entries, resolve)),
    close: onTarget(() => target.close()),
  };
}
