import {
  BSON,
  MongoServerError,
  type Collection,
  type CollectionInfo,
  type Document,
  type MongoClient,
} from 'mongodb';
import { buildCollectionMetadata } from '../archive/collection-metadata.js';
import {
  perDocument,
  type CollectionEntry,
  type DumpDocumentRun,
  type DumpEvent,
  type DumpRunEvent,
} from '../core/dump-event.js';
import { crashPoint } from '../core/crash-point.js';
import { formatNamespace, type Namespace } from '../core/namespace.js';
import { NO_PROGRESS, type ProgressListener } from '../core/progress.js';
import { backoffDelay, withRetry } from '../core/retry.js';
import { SourceError } from '../errors/index.js';
import type { Capture, CaptureOptions } from '../source/snapshot-source.js';
import { mergeBounded } from '../streams/merge-bounded.js';
import type { ConsistencyRecord } from '../source/consistency.js';
import { chooseConsistency, type ConsistencyDecision } from './choose-consistency.js';
import { isResumableReadError, isTimeoutError, isTransientMongoError } from './classify-mongo-error.js';
import { losslessCommandRunner, type CommandRunner } from './command-runner.js';
import { DUMP_OPLOG, latestOptime, oplogEvents } from './oplog-read.js';
import { assertLagWithin } from './replication-lag.js';
import { snapshotCollectionEvents } from './snapshot-read.js';
import { selectCollections } from './select-collections.js';
import { takeRawBatch } from './raw-batch.js';
import { resumeAfter, TYPE_ALIASES } from './resume-filter.js';

export type { Capture, CaptureOptions } from '../source/snapshot-source.js';

const PROGRESS_EVERY_MS = 250;

/**
 * Capture one database as a {@link DumpEvent} stream. Documents stay the raw bytes the server sent
 * (the driver's `raw: true`), read in `_id` order so a transient failure resumes after the last `_id`
 * seen (see resume-filter.ts) and the order is the same on every run. Reads use the client's read
 * preference (dbfork's source default: `secondaryPreferred`). `system.*` collections are skipped;
 * views are recorded (metadata only), as mongodump does.
 *
 * Consistency (`options.consistency`, docs/consistency.md), decided from the server's answers before
 * the first read: `snapshot` reads every collection through `run` with one `atClusterTime`
 * (snapshot-read.ts); `oplog` takes the newest optime first, reads the collections, then appends the
 * oplog up to the newest optime at the end as the dump's oplog namespace (oplog-read.ts). `run` is
 * the seam that tests answer as a replica set.
 *
 * @throws SourceError `SOURCE_READ_FAILED` (naming the namespace) when a read fails for good,
 *   `SOURCE_SNAPSHOT_TOO_OLD`, `SOURCE_NO_OPLOG`, `SOURCE_OPLOG_ROLLED_OVER`, `SOURCE_LAGGING`;
 *   UsageError `CONSISTENCY_UNSUPPORTED`
 */
export async function captureDatabase(
  client: MongoClient,
  options: CaptureOptions,
  run: CommandRunner = losslessCommandRunner(client),
): Promise<Capture> {
  const onProgress = options.onProgress ?? NO_PROGRESS;
  const attempts = options.attempts ?? 5;
  const retry = <T>(what: string, fn: () => Promise<T>): Promise<T> =>
    withRetry(fn, {
      attempts,
      isRetryable: isTransientMongoError,
      onRetry: (error, attempt, delayMs) =>
        onProgress({ type: 'retry', namespace: what, attempt, delayMs, reason: (error as Error).message }),
    }).catch((error: unknown) => {
      throw readFailed(what, error);
    });

  const db = client.db(options.db);
  const buildInfo = await retry(options.db, () => client.db('admin').command({ buildInfo: 1 }));
  const listed = await retry(options.db, () => db.listCollections({}, { nameOnly: false }).toArray());
  const infos = selectCollections(options.db, listed, options)
    .filter((c) => c.selected)
    .map((c) => c.info);

  const collections: CollectionEntry[] = [];
  for (const info of infos) {
    const namespace = { db: options.db, collection: info.name };
    const type = info.type ?? 'collection';
    const indexes =
      type === 'collection'
        ? await retry(formatNamespace(namespace), () => db.collection(info.name).listIndexes().toArray())
        : [];
    collections.push({ namespace, collectionType: type, metadataJson: metadataJson(info, indexes) });
  }

  const serverVersion = String(buildInfo.version ?? '');
  const decision = await decide(run, options);
  if (options.maxLagMs !== undefined) await assertLagWithin(run, options.maxLagMs, decision.member);
  const record: { -readonly [K in keyof ConsistencyRecord]: ConsistencyRecord[K] } = {
    mode: decision.mode,
    member: decision.member,
  };
  if (decision.mode === 'snapshot') record.atClusterTime = formatTs(decision.atClusterTime);
  const start = decision.mode === 'oplog' ? await latestOptime(run) : undefined;
  if (start !== undefined) record.startOptime = formatTs(start);
  const prelude = decision.mode === 'oplog' ? [...collections, oplogEntry()] : collections;
  async function* runs(): AsyncGenerator<DumpRunEvent> {
    yield {
      type: 'prelude',
      serverVersion,
      toolVersion: '',
      concurrentCollections: Math.max(1, options.parallelCollections ?? 4),
      collections: prelude,
    };
    const producers = collections.map((entry) => (): AsyncIterable<DumpRunEvent> => {
      if (entry.collectionType !== 'collection') return endOnly(entry.namespace);
      if (decision.mode === 'snapshot') {
        const query = options.queries?.[entry.namespace.collection];
        return snapshotCollectionEvents(
          run,
          entry.namespace,
          decision.atClusterTime,
          { ...(query ? { query } : {}), ...(options.batchSize ? { batchSize: options.batchSize } : {}) },
          onProgress,
        );
      }
      return collectionRuns(
        db.collection(entry.namespace.collection),
        entry.namespace,
        options,
        attempts,
        onProgress,
      );
    });
    yield* mergeBounded(producers, options.parallelCollections ?? 4);
    if (start !== undefined) {
      const end = await latestOptime(run);
      record.endOptime = formatTs(end);
      yield* oplogEvents(run, start, end, onProgress);
    }
  }
  const stream = runs();
  return {
    serverVersion,
    collections: prelude,
    events: perDocument(stream),
    runs: stream,
    consistency: () => ({ ...record }),
  };
}

async function decide(run: CommandRunner, options: CaptureOptions): Promise<ConsistencyDecision> {
  const requested = options.consistency ?? 'none';
  if (requested === 'none') return { mode: 'none', member: null, reason: 'requested' };
  let bytes = 0;
  if (requested === 'auto') {
    const stats = await run(options.db, { dbStats: 1 }).catch(() => ({}) as Document);
    bytes = Number((stats.dataSize as { valueOf(): unknown } | undefined)?.valueOf() ?? 0) || 0;
  }
  return chooseConsistency(run, requested, bytes);
}

function oplogEntry(): CollectionEntry {
  return { namespace: DUMP_OPLOG, collectionType: '', metadataJson: '' };
}

/** `Timestamp(<s>, <i>)` of a BSON timestamp, as the manifest records optimes. */
function formatTs(ts: unknown): string {
  const t = ts as { high?: number; low?: number } | undefined;
  return typeof t?.high === 'number' ? `Timestamp(${t.high >>> 0}, ${(t.low ?? 0) >>> 0})` : String(ts);
}

async function* endOnly(namespace: Namespace): AsyncGenerator<DumpEvent> {
  yield { type: 'end', namespace };
}

/**
 * One collection's document events, read in `_id` order with resume after a transient failure, then
 * its end event. Shared by the database and the server capture.
 */
export function collectionEvents(
  collection: Collection,
  namespace: Namespace,
  options: Pick<CaptureOptions, 'queries' | 'ids' | 'batchSize'>,
  attempts: number,
  onProgress: ProgressListener,
): AsyncGenerator<DumpEvent> {
  return perDocument(collectionRuns(collection, namespace, options, attempts, onProgress));
}

/**
 * {@link collectionEvents} with each server batch as one run of documents (`documents` events):
 * the bytes the server sent, copied once into one buffer per batch, never decoded.
 */
export async function* collectionRuns(
  collection: Collection,
  namespace: Namespace,
  options: Pick<CaptureOptions, 'queries' | 'ids' | 'batchSize'>,
  attempts: number,
  onProgress: ProgressListener,
): AsyncGenerator<DumpRunEvent> {
  const ns = formatNamespace(namespace);
  const ids = options.ids?.[namespace.collection];
  const query = options.queries?.[namespace.collection] ?? {};
  const started = Date.now();
  let estimated: number | null = ids ? ids.count : null;
  try {
    if (!ids && Object.keys(query).length === 0)
      estimated = Number(await collection.estimatedDocumentCount());
  } catch {
    estimated = null;
  }
  onProgress({ type: 'collection-start', namespace: ns, estimatedDocuments: estimated });
  const tally = { documents: 0, bytes: 0, reported: Date.now() };
  const read = (filter: Document) =>
    readResumable(collection, namespace, filter, options.batchSize ?? 1000, attempts, onProgress, tally);
  if (ids) for (const batch of ids.batches(ID_BATCH)) yield* read({ _id: { $in: [...batch] } });
  else yield* read(query);
  const { documents, bytes } = tally;
  onProgress({ type: 'collection-done', namespace: ns, documents, bytes, durationMs: Date.now() - started });
  yield { type: 'end', namespace };
}

/** `_id`s per `$in` query when a capture reads a selection of `_id`s. */
const ID_BATCH = 1000;

/**
 * The documents matching `filter`, in `_id` order, one run per server batch; after a transient
 * failure the read resumes after the last `_id` it yielded, so every document comes once.
 */
async function* readResumable(
  collection: Collection,
  namespace: Namespace,
  query: Document,
  batchSize: number,
  attempts: number,
  onProgress: ProgressListener,
  tally: { documents: number; bytes: number; reported: number },
): AsyncGenerator<DumpDocumentRun> {
  const ns = formatNamespace(namespace);
  let last: Uint8Array | undefined;
  let storable: ReadonlySet<string> | undefined;
  // failures in a row without a document read in between: a read that keeps moving is never given up
  let attempt = 1;
  let readAtFailure = -1;
  let timedOut = false;
  for (;;) {
    let cursor: ReturnType<typeof collection.find> | undefined;
    try {
      if (last !== undefined && storable === undefined) storable = await storableTypes(collection);
      const filter = last === undefined ? query : { $and: [query, resumeAfter(idOf(last), storable)] };
      cursor = collection.find(filter, { raw: true, sort: { _id: 1 }, batchSize });
      while (await cursor.hasNext()) {
        // the rest of the batch the driver holds, copied once from the server's reply into the run
        const batch = takeRawBatch(cursor);
        if (!batch) continue;
        const { bson, count } = batch;
        last = batch.last;
        if (process.env.DBFORK_TEST_CRASH_AT) for (let i = 0; i < count; i++) crashPoint('capture:document');
        tally.documents += count;
        tally.bytes += bson.byteLength;
        yield { type: 'documents', namespace, bson, count };
        if (Date.now() - tally.reported >= PROGRESS_EVERY_MS) {
          tally.reported = Date.now();
          onProgress({
            type: 'collection-progress',
            namespace: ns,
            documents: tally.documents,
            bytes: tally.bytes,
          });
        }
      }
      return;
    } catch (error) {
      attempt = tally.documents > readAtFailure && readAtFailure >= 0 ? 1 : attempt;
      const stalledAgain = timedOut && isTimeoutError(error) && attempt > 1;
      timedOut = isTimeoutError(error);
      readAtFailure = tally.documents;
      if (attempt >= attempts || stalledAgain || !isResumableReadError(error)) throw readFailed(ns, error);
      const delayMs = backoffDelay(attempt, 200, 5000);
      onProgress({ type: 'retry', namespace: ns, attempt, delayMs, reason: (error as Error).message });
      attempt++;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    } finally {
      await cursor?.close().catch(() => undefined);
    }
  }
}

/**
 * The `$type` aliases this server can match on, asked of the server (one cheap query each, only when a
 * read is resumed). A server refuses `$type` for a type it cannot store, so it holds no `_id` of it.
 * Network errors propagate (the retry loop handles them); server refusals mean "cannot store".
 */
async function storableTypes(collection: Collection): Promise<ReadonlySet<string>> {
  const out = new Set<string>();
  for (const alias of TYPE_ALIASES) {
    try {
      const filter: Document = { _id: { $type: alias } };
      await collection.find(filter, { limit: 1, projection: { _id: 1 } }).toArray();
      out.add(alias);
    } catch (error) {
      if (!(error instanceof MongoServerError)) throw error;
    }
  }
  return out;
}

function idOf(bson: Uint8Array): unknown {
  return BSON.deserialize(bson, { promoteValues: false, promoteLongs: false, bsonRegExp: true })._id;
}

/** `<coll>.metadata.json` text for a collection, as mongodump writes it (archive/collection-metadata.ts). */
export function metadataJson(info: CollectionInfo, indexes: Document[]): string {
  const uuid = (info.info as { uuid?: { toString(enc: 'hex'): string } } | undefined)?.uuid;
  return buildCollectionMetadata({
    options: info.options ?? {},
    indexes,
    ...(uuid ? { uuid: uuid.toString('hex') } : {}),
    collectionName: info.name,
    collectionType: info.type ?? 'collection',
  });
}

/** The error of a read that failed for good. */
export function readFailed(what: string, error: unknown): SourceError {
  return new SourceError(
    'SOURCE_READ_FAILED',
    `reading ${what} from the source failed: ${(error as Error).message}`,
    {
      subject: { namespace: what },
      hint: isTimeoutError(error)
        ? 'the source stopped answering: check it and the network; --socket-timeout and --server-selection-timeout (or the URI options socketTimeoutMS, serverSelectionTimeoutMS) set how long a read waits'
        : 'check that the source is up and the user may read this database (read role)',
      labels: ['noWritesPerformed'],
      cause: error,
    },
  );
}
