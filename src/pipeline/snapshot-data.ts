import {
  writeArchive,
  writeDirectory,
  type DumpFileTarget,
  type DumpFormat,
  type NamespaceSummary,
} from '../archive/index.js';
import type { DumpEventStream } from '../core/dump-event.js';
import { CodecChain } from '../codec/codec-chain.js';
import type { PendingSnapshot, SnapshotUpload } from '../store/snapshot-catalog.js';

/** The codecs of a snapshot from the `--gzip` choice (the only codec the CLI offers today). */
export function codecsFor(gzip: boolean): string[] {
  return gzip ? ['gzip'] : [];
}

/** Where the data lives inside a snapshot: the archive's key, or the prefix of a directory dump. */
export function dataPathFor(format: DumpFormat, codecs: readonly string[]): string {
  return format === 'archive' ? `data.archive${new CodecChain(codecs).suffix}` : 'dump';
}

export interface SnapshotDataOptions {
  readonly format: DumpFormat;
  /** Codec names, in encoding order (see `CodecChain`). */
  readonly codecs: readonly string[];
  readonly toolVersion: string;
}

/** What {@link writeSnapshotData} stored. */
export interface SnapshotDataSummary {
  /** The data's key (archive) or key prefix without its `/` (directory). */
  readonly dataPath: string;
  /** Bytes stored, all objects together, after the codecs. */
  readonly bytesWritten: number;
  readonly collections: NamespaceSummary[];
}

/**
 * Store a dump stream as a snapshot's data, through the codec chain: an archive is one object
 * (`data.archive` + the codecs' suffix), streamed into the store with backpressure (memory does not
 * grow with its size); a directory dump is one object per file under `dump/`, each encoded on its
 * own (so `["gzip"]` gives mongodump's `--gzip` layout). Every object is complete or absent; the
 * caller commits the manifest afterwards.
 *
 * @throws ArchiveError from the event checks; StoreError from the store (`SNAPSHOT_UNKNOWN_CODEC`
 *   for an unknown codec); the event stream's own errors
 */
export async function writeSnapshotData(
  pending: PendingSnapshot,
  events: DumpEventStream,
  options: SnapshotDataOptions,
): Promise<SnapshotDataSummary> {
  const chain = new CodecChain(options.codecs);
  const dataPath = dataPathFor(options.format, options.codecs);
  const stored: Promise<number>[] = [];
  const encoded = (key: string) => {
    const upload: SnapshotUpload = pending.upload(key + chain.suffix);
    stored.push(upload.done);
    return { stream: chain.encodeInto(upload.stream), done: upload.done };
  };
  const total = async () => (await Promise.all(stored)).reduce((n, size) => n + size, 0);
  if (options.format === 'directory') {
    const target: DumpFileTarget = { create: (path) => encoded(`${dataPath}/${path}`) };
    const result = await writeDirectory(events, target, { toolVersion: options.toolVersion });
    return { dataPath, bytesWritten: await total(), collections: result.collections };
  }
  const upload = encoded('data.archive');
  try {
    const result = await writeArchive(events, upload.stream, { toolVersion: options.toolVersion });
    return { dataPath, bytesWritten: await total(), collections: result.collections };
  } catch (error) {
    await upload.done.catch(() => undefined);
    throw error;
  }
}
