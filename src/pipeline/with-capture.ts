import type { ConsistencyMode } from '../source/consistency.js';
import { NO_PROGRESS, type ProgressListener } from '../core/progress.js';
import { MongoDbSource } from '../mongodb/mongodb-source.js';
import type {
  Capture,
  CaptureSelection,
  ReadPreference,
  ServerCapture,
  SnapshotSource,
} from '../source/snapshot-source.js';
import type { StreamTransform } from './stream-transform.js';

/** Where and what to capture. */
export interface CaptureRequest extends CaptureSelection {
  readonly uri: string;
  readonly db: string;
  /** Capture every database of the server instead of `db` (mongodump without `--db`). */
  readonly allDatabases?: boolean;
  /** Default `secondaryPreferred` (the adapter's). */
  readonly readPreference?: ReadPreference;
  readonly parallelCollections?: number;
  /** Point-in-time consistency (database captures; default none). */
  readonly consistency?: ConsistencyMode;
  readonly maxLagMs?: number;
  /** The anonymizer the capture goes through: it must classify every captured namespace. */
  readonly transform?: StreamTransform;
  readonly onProgress?: ProgressListener;
  /** Open the source another way than by `uri` (a seam: tests answer it as a replica set). */
  readonly openSource?: () => Promise<SnapshotSource>;
}

/**
 * Connect to the source, start capturing `db`, and fail closed before `use` sees the capture: the
 * transform, when given, must classify every captured namespace. The connection closes once `use`
 * settles.
 *
 * @throws SourceError when the source cannot be read; PolicyError from the transform's check
 */
export async function withCapture<T>(
  request: CaptureRequest,
  use: (capture: Capture | ServerCapture) => Promise<T>,
): Promise<T> {
  const source = request.openSource
    ? await request.openSource()
    : await MongoDbSource.connect(request.uri, {
        ...(request.readPreference ? { readPreference: request.readPreference } : {}),
      });
  try {
    const selection = {
      include: request.include ?? [],
      exclude: request.exclude ?? [],
      parallelCollections: request.parallelCollections ?? 4,
      onProgress: request.onProgress ?? NO_PROGRESS,
    };
    const capture = request.allDatabases
      ? await source.captureServer(selection)
      : await source.capture({
          ...selection,
          db: request.db,
          queries: request.queries ?? {},
          ...(request.ids ? { ids: request.ids } : {}),
          ...(request.consistency ? { consistency: request.consistency } : {}),
          ...(request.maxLagMs === undefined ? {} : { maxLagMs: request.maxLagMs }),
        });
    request.transform?.check(capture.collections);
    return await use(capture);
  } finally {
    await source.close();
  }
}
