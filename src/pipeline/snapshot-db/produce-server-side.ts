import { dumpFilePath } from '../../archive/dump-file-names.js';
import { crashPoint } from '../../core/crash-point.js';
import { NO_PROGRESS, type ProgressListener } from '../../core/progress.js';
import { stripUriCredentials } from '../../core/redact.js';
import { TOOL_VERSION } from '../../core/version.js';
import { UsageError } from '../../errors/index.js';
import { openCopySession, type RunnerWrapper } from '../../mongodb/snapshot-db/copy-session.js';
import { serverSideCopy, type CopiedCollection } from '../../mongodb/snapshot-db/server-side-copy.js';
import {
  MANIFEST_FORMAT_VERSION,
  type ManifestCollection,
  type SnapshotManifest,
} from '../../store/snapshot-manifest.js';
import type { SnapshotDbCatalog } from './snapshot-db-catalog.js';

export interface ServerSideProduceOptions {
  readonly uri: string;
  readonly db: string;
  readonly name: string;
  readonly store: SnapshotDbCatalog;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** Anonymization at capture: then documents must stream (the anonymizer cannot run in the server). */
  readonly anonymized: boolean;
  /** Fail instead of streaming when the copy cannot run server-side. */
  readonly requireServerSide?: boolean;
  readonly now?: () => Date;
  readonly onProgress?: ProgressListener;
  /** The seam tests record and answer commands through. */
  readonly wrapRunner?: RunnerWrapper;
}

/**
 * Refresh a snapshot database server-side when it can be: no rules, the store on the source's
 * cluster (by `hello`) and `$out` answered by the source. Each selected collection is copied with
 * `aggregate [{$out}]` from a secondary (MongoDB 5.0+, else the primary) into the new generation's
 * collection, its indexes built from `listIndexes`, then the manifest is committed (the generation
 * marked complete, then `latest` replaced). Otherwise says why in one `info` event and returns null:
 * the caller streams the capture instead.
 *
 * @returns the manifest, or null to stream
 * @throws UsageError `SERVER_SIDE_UNAVAILABLE` with `requireServerSide` when it cannot run server-side;
 *   SourceError from the copy; StoreError from the catalogue
 */
export async function produceServerSide(options: ServerSideProduceOptions): Promise<SnapshotManifest | null> {
  const onProgress = options.onProgress ?? NO_PROGRESS;
  const fallBack = (why: string): null => {
    if (options.requireServerSide)
      throw new UsageError('SERVER_SIDE_UNAVAILABLE', `the copy cannot run server-side: ${why}`, {
        hint: 'drop --require-server-side to stream the documents through dbfork instead',
      });
    onProgress({
      type: 'info',
      code: 'STREAMING_FALLBACK',
      message: `streaming the documents through dbfork: ${why}`,
    });
    return null;
  };
  if (options.anonymized) return fallBack('anonymization rules run in dbfork, not in the server');
  const session = await openCopySession(options.uri, options.store.database.uri, options.wrapRunner);
  try {
    if (!session.sameCluster.same)
      return fallBack(`the store is not on the source's cluster (${session.sameCluster.why})`);
    if (session.outSupported !== true)
      return fallBack(`the source does not run $out (${session.outEvidence})`);
    onProgress({
      type: 'info',
      code: 'SERVER_SIDE_COPY',
      message: `copying server-side with $out on ${session.sameCluster.why}, read preference ${session.readPreference}${session.readPreference === 'primary' ? ` (MongoDB ${session.serverVersion} runs $out only on the primary)` : ''}`,
    });
    const now = options.now ?? (() => new Date());
    const started = now();
    const pending = await options.store.begin(options.name);
    crashPoint('snapshot:begun');
    try {
      const copied = await serverSideCopy(session.run, {
        sourceDb: options.db,
        destinationDb: options.name,
        destinationOf: (c) => options.store.collectionOf(pending.id, c),
        selection: { include: options.include ?? [], exclude: options.exclude ?? [] },
        readPreference: session.readPreference,
        onCollection: async (c) => {
          const ns = { db: options.db, collection: c.name };
          const metaKey = `dump/${dumpFilePath(ns, '.metadata.json', false)}`;
          const upload = pending.upload(metaKey);
          upload.stream.end(Buffer.from(c.metadataJson, 'utf8'));
          await upload.done;
          if (c.type !== 'view') {
            const key = `dump/${dumpFilePath(ns, '.bson', false)}`;
            await options.store.database.recordCollection(
              options.name,
              pending.id,
              key,
              options.store.collectionOf(pending.id, c.name),
            );
          }
          onProgress({
            type: 'collection-done',
            namespace: `${options.db}.${c.name}`,
            documents: c.documents,
            bytes: c.bytes,
            durationMs: 0,
          });
        },
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
          serverVersion: session.serverVersion,
        },
        toolVersion: TOOL_VERSION,
        format: 'directory',
        gzip: false,
        codecs: [],
        dataPath: 'dump',
        sizeBytes: copied.reduce((n, c) => n + c.bytes, 0),
        collections: copied.map((c) => manifestCollection(options.db, c)),
        rulesDigest: null,
        anonymized: false,
        status: 'complete',
      };
      crashPoint('snapshot:before-manifest');
      options.store.methods.set(pending, '$out');
      await options.store.commit(pending, manifest);
      onProgress({ type: 'phase', phase: 'complete', detail: `${pending.name}@${pending.id}` });
      return manifest;
    } catch (error) {
      await options.store.abort(pending).catch(() => undefined);
      throw error;
    }
  } finally {
    await session.close();
  }
}

function manifestCollection(db: string, c: CopiedCollection): ManifestCollection {
  return {
    namespace: `${db}.${c.name}`,
    type: c.type,
    documents: c.documents,
    bytes: c.bytes,
    indexes: c.relaxedIndexes,
    options: c.relaxedOptions,
  };
}
