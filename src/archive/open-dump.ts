import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { writeFileAtomic } from '../core/atomic-file.js';
import { UsageError } from '../errors/index.js';
import { writableInto } from '../streams/writable-into.js';
import { decryptIfAge, type DumpDecrypter } from './age-detect.js';
import { readArchive } from './archive-reader.js';
import { writeArchive } from './archive-writer.js';
import { readDirectory } from './directory-reader.js';
import { writeDirectory } from './directory-writer.js';
import type { DumpEvent, DumpEventStream } from '../core/dump-event.js';
import type { NamespaceSummary } from './namespace-tally.js';

/** The two on-disk forms of a dump: one archive stream, or a folder of `.bson` + `.metadata.json` files. */
export type DumpFormat = 'archive' | 'directory';

export interface ReadDumpOptions {
  /** Verify archive CRCs while reading (default true; directories have none). */
  readonly verifyCrc?: boolean;
  /** What `-` reads (default `process.stdin`). */
  readonly stdin?: Readable;
  /**
   * Decrypts an archive that starts with the age header (`age-encryption.org/v1`); without it such an
   * archive fails with `DECRYPTION_IDENTITY_REQUIRED`. The archive inside may be gzipped.
   */
  readonly decrypt?: DumpDecrypter;
  /** Check every document's BSON structure while reading (default true; `--no-objcheck` turns it off). */
  readonly objcheck?: boolean;
}

/** An opened dump: what it is and its events. */
export interface DumpReader {
  readonly format: DumpFormat;
  /** The path given, or "-". */
  readonly path: string;
  readonly events: AsyncGenerator<DumpEvent, void, undefined>;
}

/**
 * Open a dump for reading: `-` is an archive on stdin; a folder is a directory dump; a file is an
 * archive, gzipped or not, age-encrypted or not (both detected by their first bytes; see
 * `options.decrypt`).
 *
 * @throws UsageError `DUMP_NOT_FOUND` when the path does not exist or is neither a file nor a folder.
 *   Format errors surface while iterating `events` (ArchiveError, see {@link readArchive} / {@link readDirectory}).
 */
export async function openDumpReader(path: string, options: ReadDumpOptions = {}): Promise<DumpReader> {
  const verifyCrc = options.verifyCrc ?? true;
  const objcheck = options.objcheck ?? true;
  if (path === '-')
    return {
      format: 'archive',
      path,
      events: readArchive(
        decryptIfAge((options.stdin ?? process.stdin) as AsyncIterable<Uint8Array>, '-', options.decrypt),
        { verifyCrc, label: '-', objcheck },
      ),
    };
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return { format: 'directory', path, events: readDirectory(path, { objcheck }) };
  if (info?.isFile())
    return {
      format: 'archive',
      path,
      events: readArchive(
        decryptIfAge(createReadStream(path, { highWaterMark: 256 * 1024 }), path, options.decrypt),
        { verifyCrc, label: path, objcheck },
      ),
    };
  throw new UsageError('DUMP_NOT_FOUND', `no dump at ${path}`, {
    subject: { file: path },
    hint: 'give an archive file (mongodump --archive), a dump folder (mongodump --out) or - for stdin',
  });
}

/**
 * The events of a dump, opened lazily on first pull (see {@link openDumpReader}): the simple form for
 * `for await (const event of readDump(path))`. Yields one `prelude`, then `document` events (raw BSON
 * bytes, at most 16 MiB each) and one `end` per namespace.
 *
 * @throws (while iterating) UsageError `DUMP_NOT_FOUND` as {@link openDumpReader}; ArchiveError for a
 *   malformed, truncated or corrupt dump (see {@link readArchive} and {@link readDirectory})
 */
export async function* readDump(
  path: string,
  options: ReadDumpOptions = {},
): AsyncGenerator<DumpEvent, void, undefined> {
  const reader = await openDumpReader(path, options);
  yield* reader.events;
}

export interface WriteDumpOptions {
  readonly format: DumpFormat;
  /** Gzip the archive stream, or each file of a directory dump (default false). */
  readonly gzip?: boolean;
  /** `tool_version` / `ToolVersion` to write (default: the prelude event's). */
  readonly toolVersion?: string;
  /** `concurrent_collections` for archives (default: the prelude event's). */
  readonly concurrentCollections?: number;
  /** What `-` writes to (default `process.stdout`). */
  readonly stdout?: Writable;
}

/** What {@link writeDump} wrote. */
export interface WriteSummary {
  readonly format: DumpFormat;
  readonly gzip: boolean;
  /** The path written (the archive file or the folder), or "-". */
  readonly path: string;
  /** Bytes written (compressed sizes when gzipping; all files together for a directory). */
  readonly bytesWritten: number;
  /** Per namespace, in prelude order: documents, bytes, CRC-64 and SHA-256 of the document bytes. */
  readonly collections: NamespaceSummary[];
}

/**
 * Write a dump event stream to `path`: an archive file (written with {@link writeFileAtomic}: it
 * appears whole under its name or not at all), `-` for an archive on stdout, or a directory dump folder.
 *
 * @throws UsageError `DUMP_BAD_OUTPUT` for a directory dump to `-`; ArchiveError from the event checks;
 *   file-system errors as they are (a partial archive's temporary file is removed)
 */
export async function writeDump(
  events: DumpEventStream,
  path: string,
  options: WriteDumpOptions,
): Promise<WriteSummary> {
  const gzip = options.gzip ?? false;
  const common = { format: options.format, gzip, path };
  if (options.format === 'directory') {
    if (path === '-')
      throw new UsageError('DUMP_BAD_OUTPUT', 'a directory dump cannot be written to stdout', {
        hint: 'use the archive format for stdout, or give a folder',
      });
    const result = await writeDirectory(events, path, {
      gzip,
      ...(options.toolVersion === undefined ? {} : { toolVersion: options.toolVersion }),
    });
    return { ...common, bytesWritten: result.bytesWritten, collections: result.collections };
  }
  const archiveOptions = {
    gzip,
    ...(options.toolVersion === undefined ? {} : { toolVersion: options.toolVersion }),
    ...(options.concurrentCollections === undefined
      ? {}
      : { concurrentCollections: options.concurrentCollections }),
  };
  if (path === '-') {
    const result = await writeArchive(events, options.stdout ?? process.stdout, archiveOptions);
    return { ...common, bytesWritten: result.bytesWritten, collections: result.collections };
  }
  const file = writableInto((body) => writeFileAtomic(path, body));
  try {
    const result = await writeArchive(events, file.stream, archiveOptions);
    await file.done;
    return { ...common, bytesWritten: result.bytesWritten, collections: result.collections };
  } catch (error) {
    await file.done.catch(() => undefined);
    throw error;
  }
}
