import type { Document } from 'mongodb';
import type { DumpEvent } from '../core/dump-event.js';
import { formatNamespace, type Namespace } from '../core/namespace.js';
import type { ProgressListener } from '../core/progress.js';
import { SourceError } from '../errors/index.js';
import { readFailed } from './capture.js';
import { asServerError, type CommandRunner } from './command-runner.js';
import { commandCursor } from './command-cursor.js';

/** MongoDB's error code for a read whose `atClusterTime` left the history window. */
const SNAPSHOT_TOO_OLD = 239;

/**
 * One collection read at one point in time: `find` in `_id` order with `readConcern: {level:
 * "snapshot", atClusterTime}`, the same `atClusterTime` for every collection of the capture, then
 * the cursor's `getMore`s. A read that fails is not resumed (a new cursor at the same time would be
 * as old), so `SnapshotTooOld` ends the capture.
 *
 * @throws SourceError `SOURCE_SNAPSHOT_TOO_OLD` when the server's history window ran out, else
 *   `SOURCE_READ_FAILED`
 */
export async function* snapshotCollectionEvents(
  run: CommandRunner,
  namespace: Namespace,
  atClusterTime: unknown,
  options: { readonly query?: Document; readonly batchSize?: number },
  onProgress: ProgressListener,
): AsyncGenerator<DumpEvent> {
  const ns = formatNamespace(namespace);
  const started = Date.now();
  onProgress({ type: 'collection-start', namespace: ns, estimatedDocuments: null });
  const find: Document = {
    find: namespace.collection,
    filter: options.query ?? {},
    sort: { _id: 1 },
    batchSize: options.batchSize ?? 1000,
    readConcern: { level: 'snapshot', atClusterTime },
  };
  let documents = 0;
  let bytes = 0;
  try {
    for await (const bson of commandCursor(run, namespace.db, find)) {
      documents++;
      bytes += bson.byteLength;
      yield { type: 'document', namespace, bson };
    }
  } catch (error) {
    const server = asServerError(error);
    if (server.code === SNAPSHOT_TOO_OLD || server.codeName === 'SnapshotTooOld')
      throw snapshotTooOld(ns, error);
    throw readFailed(ns, error);
  }
  onProgress({ type: 'collection-done', namespace: ns, documents, bytes, durationMs: Date.now() - started });
  yield { type: 'end', namespace };
}

function snapshotTooOld(ns: string, cause: unknown): SourceError {
  return new SourceError(
    'SOURCE_SNAPSHOT_TOO_OLD',
    `reading ${ns} at the capture's cluster time failed: the server no longer holds that point in time (SnapshotTooOld)`,
    {
      subject: { namespace: ns },
      hint: 'capture with --consistency oplog (reads the oplog instead of one snapshot), or raise minSnapshotHistoryWindowInSeconds on the source',
      labels: ['noWritesPerformed'],
      cause,
    },
  );
}
