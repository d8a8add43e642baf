import { PassThrough, Readable } from 'node:stream';
import { isDbforkError, type DbforkError } from '../../../src/errors/index.js';
import {
  readArchive,
  writeArchive,
  type ArchiveWriteResult,
  type ReadArchiveOptions,
  type WriteArchiveOptions,
} from '../../../src/archive/index.js';
import type { CollectionEntry, DumpEvent } from '../../../src/core/dump-event.js';
import type { Namespace } from '../../../src/core/namespace.js';

/** Shared helpers of the archive unit tests: build event streams, run the codec in memory. */

export function entry(
  db: string,
  collection: string,
  collectionType = 'collection',
  metadataJson = '',
): CollectionEntry {
  return { namespace: { db, collection }, collectionType, metadataJson };
}

export function prelude(collections: CollectionEntry[], concurrentCollections = 1): DumpEvent {
  return {
    type: 'prelude',
    serverVersion: '7.0.42',
    toolVersion: 'test',
    concurrentCollections,
    collections,
  };
}

export function doc(namespace: Namespace, bson: Uint8Array): DumpEvent {
  return { type: 'document', namespace, bson };
}

export function end(namespace: Namespace): DumpEvent {
  return { type: 'end', namespace };
}

export async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** Write events as an archive into memory. */
export async function archiveBytes(
  events: readonly DumpEvent[] | AsyncIterable<DumpEvent>,
  options: WriteArchiveOptions = {},
): Promise<{ bytes: Buffer; result: ArchiveWriteResult }> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (b: Buffer) => parts.push(b));
  const source = Symbol.asyncIterator in events ? events : fromArray(events as readonly DumpEvent[]);
  const result = await writeArchive(source as AsyncIterable<DumpEvent>, out, options);
  return { bytes: Buffer.concat(parts), result };
}

/** Split bytes into chunks of `size` (to exercise reads across chunk boundaries). */
export function chunked(bytes: Uint8Array, size = 7): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(Buffer.from(bytes.subarray(i, i + size)));
  return Readable.from(parts);
}

/** Read all events of an archive held in memory. */
export async function readAll(
  bytes: Uint8Array,
  options: ReadArchiveOptions = {},
  chunkSize = 64 * 1024,
): Promise<DumpEvent[]> {
  const events: DumpEvent[] = [];
  for await (const event of readArchive(chunked(bytes, chunkSize), options)) events.push(event);
  return events;
}

/** The DbforkError a promise rejects with (fails the test when it resolves or throws something else). */
export async function rejection(promise: Promise<unknown>): Promise<DbforkError> {
  try {
    await promise;
  } catch (error) {
    if (isDbforkError(error)) return error;
    throw new Error(`expected a DbforkError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a rejection, but it resolved');
}

/** Events with document bytes copied out to plain Buffers, for deep equality. */
export function normalize(events: readonly DumpEvent[]): unknown[] {
  return events.map((e) => (e.type === 'document' ? { ...e, bson: Buffer.from(e.bson).toString('hex') } : e));
}

/** Little-endian int32 → 4 bytes. */
export function int32le(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(value);
  return b;
}
