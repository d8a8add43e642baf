import { pipeline } from 'node:stream';
import {
  writeArchive,
  writeDirectory,
  type DumpFileTarget,
  type DumpFormat,
  type NamespaceSummary,
} from '../archive/index.js';
import { isDbforkError } from '../errors/index.js';
import { perDocument, type DumpRunEventStream } from '../core/dump-event.js';
import { CodecChain } from '../codec/codec-chain.js';
import type { CodecKeys } from '../codec/codec-keys.js';
import { digestStream, type ObjectDigest } from '../codec/object-digest.js';
import type { PendingSnapshot, SnapshotUpload } from '../store/snapshot-catalog.js';

/** The codecs of a snapshot: gzip first (compressing ciphertext gains nothing), then age encryption. */
export function codecsFor(gzip: boolean, encrypt = false): string[] {
  return [...(gzip ? ['gzip'] : []), ...(encrypt ? ['age'] : [])];
}

/** Where the data lives inside a snapshot: the archive's key, or the prefix of a directory dump. */
export function dataPathFor(format: DumpFormat, codecs: readonly string[]): string {
  return format === 'archive' ? `data.archive${new CodecChain(codecs).suffix}` : 'dump';
}

export interface SnapshotDataOptions {
  readonly format: DumpFormat;
  /** Codec names, in encoding order (see `CodecChain`). */
  readonly codecs: readonly string[];
  /** Recipients for the `age` codec (never stored). */
  readonly keys?: CodecKeys;
  readonly toolVersion: string;
}

/** What {@link writeSnapshotData} stored. */
export interface SnapshotDataSummary {
  /** The data's key (archive) or key prefix without its `/` (directory). */
  readonly dataPath: string;
  /** Bytes stored, all objects together, after the codecs. */
  readonly bytesWritten: number;
  readonly collections: NamespaceSummary[];
  /** Every stored object's size and SHA-256 (as stored), sorted by key. */
  readonly objects: ObjectDigest[];
}

/**
 * Store a dump stream (runs of documents allowed) as a snapshot's data, through the codec chain: an archive is one object
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
  events: DumpRunEventStream,
  options: SnapshotDataOptions,
): Promise<SnapshotDataSummary> {
  const chain = new CodecChain(options.codecs, options.keys);
  const dataPath = dataPathFor(options.format, options.codecs);
  const stored: Promise<number>[] = [];
  const objects: ObjectDigest[] = [];
  const encoded = (path: string) => {
    const key = path + chain.suffix;
    const upload: SnapshotUpload = pending.upload(key);
    stored.push(upload.done);
    const hashed = digestStream(key, (digest) => objects.push(digest));
    pipeline(hashed, upload.stream, () => undefined);
    return { stream: chain.encodeInto(hashed), done: upload.done };
  };
  const finish = async (collections: NamespaceSummary[]): Promise<SnapshotDataSummary> => {
    const bytesWritten = (await Promise.all(stored)).reduce((n, size) => n + size, 0);
    objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { dataPath, bytesWritten, collections, objects };
  };
  try {
    if (options.format === 'directory') {
      const target: DumpFileTarget = { create: (path) => encoded(`${dataPath}/${path}`) };
      const result = await writeDirectory(perDocument(events), target, {
        toolVersion: options.toolVersion,
      });
      return await finish(result.collections);
    }
    const upload = encoded('data.archive');
    const result = await writeArchive(events, upload.stream, { toolVersion: options.toolVersion });
    return await finish(result.collections);
  } catch (error) {
    throw await rootCause(error, stored);
  }
}

/**
 * The error to report when writing the data failed: a store's own error (a full disk, a refused
 * write) when an upload failed with one, since the writer then only sees its stream torn down (an
 * `AbortError`); else the writer's error (a source read, an archive check). Waits for every upload.
 */
async function rootCause(error: unknown, uploads: readonly Promise<number>[]): Promise<unknown> {
  const settled = await Promise.allSettled(uploads);
  if (isDbforkError(error)) return error;
  const storeError = settled.find(
    (r): r is PromiseRejectedResult => r.status === 'rejected' && isDbforkError(r.reason),
  );
  return storeError?.reason ?? error;
}
