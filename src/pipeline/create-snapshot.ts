import type { ConsistencyMode } from '../source/consistency.js';
import type { DumpRunEvent, DumpRunEventStream } from '../core/dump-event.js';
import { crashPoint } from '../core/crash-point.js';
import { NO_PROGRESS, type ProgressListener } from '../core/progress.js';
import { stripUriCredentials } from '../core/redact.js';
import { TOOL_VERSION } from '../core/version.js';
import { PolicyError, UsageError } from '../errors/index.js';
import { writableDatabases } from '../target/guard/writable-databases.js';
import type { ReadPreference, SnapshotSource } from '../source/snapshot-source.js';
import { MANIFEST_FORMAT_VERSION, type SnapshotManifest } from '../store/snapshot-manifest.js';
import type { SnapshotCatalog } from '../store/snapshot-catalog.js';
import { manifestCollections } from './manifest-collections.js';
import { codecsFor, writeSnapshotData } from './snapshot-data.js';
import type { StreamTransform } from './stream-transform.js';
import { selectSubset, type SubsetRequest, type SubsetSummary } from './subset-capture.js';
import { throttleReads } from '../source/read-throttle.js';
import { withCapture, type CaptureRequest } from './with-capture.js';
import type { RunnerWrapper } from '../mongodb/snapshot-db/copy-session.js';
import { produceServerSide } from './snapshot-db/produce-server-side.js';
import { SnapshotDbCatalog } from './snapshot-db/snapshot-db-catalog.js';

export type { StreamTransform } from './stream-transform.js';

export interface CreateSnapshotOptions {
  readonly uri: string;
  /** The database to capture ("" with {@link allDatabases}). */
  readonly db: string;
  /**
   * Capture every database of the server into one snapshot (namespaces `db.coll`); the manifest
   * lists them in `databases`, and what was left out (users the server does not expose) in `skipped`.
   */
  readonly allDatabases?: boolean;
  /** The clock (default the system's): snapshot id, `createdAt`, `completedAt`, leases. */
  readonly now?: () => Date;
  /** Snapshot name (default: the database name). */
  readonly name?: string;
  readonly store: SnapshotCatalog;
  readonly format: 'archive' | 'directory';
  readonly gzip: boolean;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly queries?: Readonly<Record<string, Record<string, unknown>>>;
  readonly readPreference?: ReadPreference;
  readonly parallelCollections?: number;
  /** Point-in-time consistency (default none); the manifest records what was used. */
  readonly consistency?: ConsistencyMode;
  /** Refuse a source member lagging the primary by more than this many milliseconds. */
  readonly maxLagMs?: number;
  /** Read at most this many document bytes per second from the source (`--max-read-rate`). */
  readonly maxReadRate?: number;
  /** Open the source another way than by `uri` (a seam: tests answer it as a replica set). */
  readonly openSource?: () => Promise<SnapshotSource>;
  /**
   * Encrypt every stored object to these age recipients (the `age` codec): the store then holds
   * only ciphertext, and reading needs a matching identity.
   */
  readonly encryption?: { readonly recipients: readonly string[] };
  /**
   * A referentially complete subset: selected on the source first (read-only), then captured as
   * each selected collection read by its `_id`s; recorded in the manifest's `subset`.
   */
  readonly subset?: SubsetRequest;
  /** Anonymization at capture: raw documents never reach the store. */
  readonly transform?: StreamTransform;
  readonly onProgress?: ProgressListener;
  /**
   * A snapshot database store only: fail instead of streaming when the copy cannot run server-side
   * (rules given, another cluster, or a server without `$out`).
   */
  readonly requireServerSide?: boolean;
  /** A snapshot database store only: the seam tests record and answer server commands through. */
  readonly wrapRunner?: RunnerWrapper;
}

/**
 * Capture a database into the snapshot store: connect (read preference `secondaryPreferred` by
 * default), stream every selected collection through the optional transform into the store (keys
 * under the snapshot), then write the manifest **last** and move `latest`. If anything fails, the
 * partial snapshot is removed; if the process dies, it stays incomplete (no manifest, its lease lapses)
 * and the next `begin` of the name removes it. Either way `latest` never names an incomplete snapshot.
 *
 * @throws SourceError when the source cannot be read, StoreError when the store cannot be written,
 *   TransformError from the transform, UsageError for bad options
 */
export async function createSnapshot(options: CreateSnapshotOptions): Promise<SnapshotManifest> {
  const onProgress = options.onProgress ?? NO_PROGRESS;
  const dbStore = options.store instanceof SnapshotDbCatalog ? options.store : undefined;
  if (dbStore) {
    if (options.encryption || options.subset)
      throw new UsageError(
        'CONFIG_BAD_OPTION',
        'a snapshot database store takes neither --recipient nor a subset',
        {
          hint: 'a snapshot database holds documents, protected by the cluster’s own encryption at rest and roles',
        },
      );
    await assertProducerPrivileges(dbStore, options.db);
    const produced = await produceServerSide({
      uri: options.uri,
      db: options.db,
      name: options.name ?? options.db,
      store: dbStore,
      ...(options.include ? { include: options.include } : {}),
      ...(options.exclude ? { exclude: options.exclude } : {}),
      anonymized: options.transform !== undefined,
      ...(options.requireServerSide ? { requireServerSide: true } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.wrapRunner ? { wrapRunner: options.wrapRunner } : {}),
      onProgress,
    });
    if (produced) return produced;
  }
  // a snapshot database holds documents: the directory layout, no codecs
  const format = dbStore ? 'directory' : options.format;
  const gzip = dbStore ? false : options.gzip;
  const now = options.now ?? (() => new Date());
  const started = now();
  const subset = options.subset
    ? await selectSubset(options.uri, options.db, options.subset, options, {
        ...(options.readPreference ? { readPreference: options.readPreference } : {}),
        onProgress,
      })
    : undefined;
  const request = subset ? { ...options, ...subset.selection, onProgress } : { ...options, onProgress };
  try {
    return await captureInto(options, request, { format, gzip }, started, now, onProgress, subset?.summary);
  } finally {
    subset?.release();
  }
}

async function captureInto(
  options: CreateSnapshotOptions,
  request: CaptureRequest,
  { format, gzip }: Pick<CreateSnapshotOptions, 'format' | 'gzip'>,
  started: Date,
  now: () => Date,
  onProgress: ProgressListener,
  subsetSummary: SubsetSummary | undefined,
): Promise<SnapshotManifest> {
  return withCapture(request, async (capture) => {
    const pending = await options.store.begin(options.name ?? (options.db || 'all-databases'));
    crashPoint('snapshot:begun');
    try {
      // the anonymizer takes documents one by one; without it the writer takes the server's batches whole
      const rate = options.maxReadRate;
      const throttle = <E extends DumpRunEvent>(s: AsyncIterable<E>) => (rate ? throttleReads(s, rate) : s);
      const events: DumpRunEventStream = options.transform
        ? options.transform.apply(throttle(capture.events))
        : throttle(capture.runs ?? capture.events);
      onProgress({ type: 'phase', phase: 'capture', detail: `${capture.collections.length} collections` });
      const codecs = codecsFor(gzip, options.encryption !== undefined);
      const summary = await writeSnapshotData(pending, events, {
        format,
        codecs,
        ...(options.encryption ? { keys: { recipients: options.encryption.recipients } } : {}),
        toolVersion: `dbfork ${TOOL_VERSION}`,
      });
      crashPoint('snapshot:data-written');
      const manifest: SnapshotManifest = {
        formatVersion: MANIFEST_FORMAT_VERSION,
        id: pending.id,
        name: pending.name,
        createdAt: started.toISOString(),
        completedAt: now().toISOString(),
        durationMs: Math.max(0, now().getTime() - started.getTime()),
        source: {
          uri: stripUriCredentials(options.uri),
          db: options.db,
          serverVersion: capture.serverVersion,
        },
        toolVersion: TOOL_VERSION,
        format,
        gzip,
        codecs,
        dataPath: summary.dataPath,
        sizeBytes: summary.bytesWritten,
        collections: manifestCollections(summary),
        rulesDigest: options.transform?.rulesDigest ?? null,
        anonymized: options.transform !== undefined,
        ...(options.transform ? { anonymization: options.transform.record } : {}),
        ...(capture.consistency ? { consistency: capture.consistency() } : {}),
        ...('databases' in capture
          ? { databases: [...capture.databases], skipped: capture.skipped.map((s) => ({ ...s })) }
          : {}),
        objects: summary.objects,
        ...(subsetSummary ? { subset: subsetSummary } : {}),
        ...(options.encryption ? { encryption: { recipients: [...options.encryption.recipients] } } : {}),
        status: 'complete',
      };
      crashPoint('snapshot:before-manifest');
      await options.store.commit(pending, manifest);
      onProgress({ type: 'phase', phase: 'complete', detail: `${pending.name}@${pending.id}` });
      return manifest;
    } catch (error) {
      await options.store.abort(pending).catch(() => undefined);
      throw error;
    }
  });
}

/**
 * The target guard's privilege rule for the producer's role: writing the snapshot database is its
 * job, writing production is refused (`TARGET_PRIVILEGES_TOO_BROAD`) before anything is written.
 * Undetermined privileges (no authenticated user) pass, as for restores.
 */
async function assertProducerPrivileges(store: SnapshotDbCatalog, prodDb: string): Promise<void> {
  const { privileges } = await store.database.privileges();
  if (privileges === null) return;
  const writable = writableDatabases(privileges, [prodDb]);
  if (writable.length > 0)
    throw new PolicyError(
      'TARGET_PRIVILEGES_TOO_BROAD',
      `the producer's store connection can write to production database ${writable.join(', ')}`,
      {
        hint: 'run the producer as a user with read on production and readWrite + dbAdmin on the snapshot database only (`dbfork access plan --role producer`)',
        subject: { rule: 'privileges', db: prodDb },
        labels: ['noWritesPerformed'],
      },
    );
}
