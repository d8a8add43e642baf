import {
  readArchive,
  readDirectory,
  writeArchive,
  writeDirectory,
  type DumpEvent,
  type DumpEventStream,
  type DumpFileSource,
  type DumpFormat,
  type NamespaceSummary,
} from '../archive/index.js';
import type { PendingSnapshot, ResolvedSnapshot } from '../store/snapshot-catalog.js';

/** Where the data lives inside a snapshot, per format: an object key, or the prefix of a directory dump. */
export function dataPathFor(format: DumpFormat, gzip: boolean): string {
  return format === 'archive' ? (gzip ? 'data.archive.gz' : 'data.archive') : 'dump';
}

export interface SnapshotDataOptions {
  readonly format: DumpFormat;
  readonly gzip: boolean;
  readonly toolVersion: string;
}

/** What {@link writeSnapshotData} stored. */
export interface SnapshotDataSummary {
  /** The data's key (archive) or key prefix without its `/` (directory). */
  readonly dataPath: string;
  /** Bytes stored, compressed sizes when gzipped. */
  readonly bytesWritten: number;
  readonly collections: NamespaceSummary[];
}

/**
 * Store a dump stream as a snapshot's data: an archive is one object, streamed into the store with
 * backpressure (memory does not grow with its size); a directory dump is one object per file under
 * `dump/`. Every object is complete or absent; the caller commits the manifest afterwards.
 *
 * @throws ArchiveError from the event checks; StoreError from the store; the stream's own errors
 */
export async function writeSnapshotData(
  pending: PendingSnapshot,
  events: DumpEventStream,
  options: SnapshotDataOptions,
): Promise<SnapshotDataSummary> {
  const dataPath = dataPathFor(options.format, options.gzip);
  const common = { gzip: options.gzip, toolVersion: options.toolVersion };
  if (options.format === 'directory') {
    const target = { create: (path: string) => pending.upload(`${dataPath}/${path}`) };
    const result = await writeDirectory(events, target, common);
    return { dataPath, bytesWritten: result.bytesWritten, collections: result.collections };
  }
  const upload = pending.upload(dataPath);
  try {
    const result = await writeArchive(events, upload.stream, common);
    const stored = await upload.done;
    return { dataPath, bytesWritten: stored, collections: result.collections };
  } catch (error) {
    await upload.done.catch(() => undefined);
    throw error;
  }
}

/**
 * A complete snapshot's data as a dump stream, read from the store with backpressure. Archive CRCs
 * are checked while reading (see `readArchive`).
 * @throws ArchiveError when the data is damaged; StoreError when an object cannot be read
 */
export async function* readSnapshotData(
  snapshot: ResolvedSnapshot,
): AsyncGenerator<DumpEvent, void, undefined> {
  const { format, dataPath } = snapshot.manifest;
  if (format === 'archive') {
    yield* readArchive(await snapshot.open(dataPath), { label: snapshot.locate(dataPath) });
    return;
  }
  yield* readDirectory(snapshotDumpSource(snapshot, dataPath));
}

/** A directory snapshot's keys under `<prefix>/` as the files of a dump. */
function snapshotDumpSource(snapshot: ResolvedSnapshot, prefix: string): DumpFileSource {
  const under = `${prefix}/`;
  return {
    name: prefix,
    list: async () => (await snapshot.keys(under)).map((key) => key.slice(under.length)),
    open: (path) => snapshot.open(under + path),
    locate: (path) => snapshot.locate(under + path),
  };
}
