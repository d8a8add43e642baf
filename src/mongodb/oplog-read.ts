import type { Document } from 'mongodb';
import type { DumpEvent } from '../core/dump-event.js';
import type { Namespace } from '../core/namespace.js';
import type { ProgressListener } from '../core/progress.js';
import { SourceError } from '../errors/index.js';
import { readFailed } from './capture.js';
import type { CommandRunner } from './command-runner.js';
import { commandCursor } from './command-cursor.js';

/** The oplog namespace of a dump, as `mongodump --oplog` lays it out: `{db: "", collection: "oplog"}`. */
export const DUMP_OPLOG: Namespace = { db: '', collection: 'oplog' };

/**
 * The optime of the newest entry of `local.oplog.rs` (`find` sorted by `$natural: -1`, limit 1), as
 * mongodump takes it before and after reading the collections.
 *
 * @throws SourceError `SOURCE_NO_OPLOG` when the member has no oplog (not a replica set member)
 */
export async function latestOptime(run: CommandRunner): Promise<unknown> {
  let newest: Document | undefined;
  try {
    const reply = await run('local', {
      find: 'oplog.rs',
      filter: {},
      sort: { $natural: -1 },
      limit: 1,
      projection: { ts: 1 },
      singleBatch: true,
    });
    newest = (reply.cursor as { firstBatch?: Document[] } | undefined)?.firstBatch?.[0];
  } catch (error) {
    throw noOplog(error);
  }
  if (!newest?.ts) throw noOplog(undefined);
  return newest.ts;
}

/**
 * The oplog entries after `start` up to and including `end` (`ts` ascending, the oplog's natural
 * order), as the oplog namespace's document events then its end, each entry the bytes the server
 * stored. Every entry is kept, as mongodump keeps them: `restore --oplog-replay` skips what is not
 * restored, and under rules the oplog rewriter decides each entry by its namespace.
 *
 * @throws SourceError `SOURCE_READ_FAILED`; `SOURCE_OPLOG_ROLLED_OVER` when the oplog no longer
 *   holds `start` (the capture took longer than the oplog's window)
 */
export async function* oplogEvents(
  run: CommandRunner,
  start: unknown,
  end: unknown,
  onProgress: ProgressListener,
): AsyncGenerator<DumpEvent> {
  const ns = 'local.oplog.rs';
  onProgress({ type: 'collection-start', namespace: ns, estimatedDocuments: null });
  const oldest = await run('local', {
    find: 'oplog.rs',
    filter: {},
    sort: { $natural: 1 },
    limit: 1,
    singleBatch: true,
  }).catch((error: unknown) => {
    throw readFailed(ns, error);
  });
  const first = (oldest.cursor as { firstBatch?: Document[] } | undefined)?.firstBatch?.[0];
  if (first?.ts !== undefined && compareTs(first.ts, start) > 0) throw rolledOver();
  let documents = 0;
  try {
    const find = { find: 'oplog.rs', filter: { ts: { $gt: start, $lte: end } }, batchSize: 1000 };
    for await (const bson of commandCursor(run, 'local', find)) {
      documents++;
      yield { type: 'document', namespace: DUMP_OPLOG, bson };
    }
  } catch (error) {
    throw readFailed(ns, error);
  }
  onProgress({ type: 'collection-done', namespace: ns, documents, bytes: 0, durationMs: 0 });
  yield { type: 'end', namespace: DUMP_OPLOG };
}

/** Order of two BSON timestamps (seconds, then increment). */
export function compareTs(a: unknown, b: unknown): number {
  const pa = parts(a);
  const pb = parts(b);
  return pa[0] - pb[0] || pa[1] - pb[1];
}

function parts(ts: unknown): [number, number] {
  const t = ts as { high?: number; low?: number; t?: number; i?: number };
  if (typeof t.high === 'number') return [t.high >>> 0, (t.low ?? 0) >>> 0];
  return [Number(t.t ?? 0), Number(t.i ?? 0)];
}

function noOplog(cause: unknown): SourceError {
  return new SourceError('SOURCE_NO_OPLOG', 'the source member has no readable oplog (local.oplog.rs)', {
    hint: 'oplog mode needs a replica set member and a user that may read the local database; use --consistency none on a standalone',
    labels: ['noWritesPerformed'],
    ...(cause === undefined ? {} : { cause }),
  });
}

function rolledOver(): SourceError {
  return new SourceError(
    'SOURCE_OPLOG_ROLLED_OVER',
    "the source's oplog no longer holds the capture's start optime: entries were lost while the collections were read",
    {
      hint: 'raise the oplog size (replSetResizeOplog) or capture fewer collections at once; nothing was stored',
      labels: ['noWritesPerformed'],
    },
  );
}
