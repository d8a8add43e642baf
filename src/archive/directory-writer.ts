import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ByteSink } from './byte-sink.js';
import type { CollectionEntry, DumpEventStream } from '../core/dump-event.js';
import { BSON_SUFFIX, dumpFilePath, METADATA_SUFFIX, PRELUDE_FILE, GZ_SUFFIX } from './dump-file-names.js';
import { DumpStreamGuard } from './dump-stream-guard.js';
import type { NamespaceSummary, NamespaceTally } from './namespace-tally.js';

export interface WriteDirectoryOptions {
  /** Gzip each file separately and add `.gz`, as `mongodump --gzip` (default false). */
  readonly gzip?: boolean;
  /** `ToolVersion` of prelude.json (default: the prelude event's). */
  readonly toolVersion?: string;
}

/** What {@link writeDirectory} wrote. */
export interface DirectoryWriteResult {
  /** Bytes written to disk, all files together (compressed sizes when gzipping). */
  readonly bytesWritten: number;
  /** One entry per prelude namespace, in prelude order. */
  readonly collections: NamespaceSummary[];
  /** Paths of the files written, relative to the dump folder, in completion order. */
  readonly files: string[];
}

/** A file being written under a temporary name in its final folder. */
class PendingFile {
  readonly sink: ByteSink;
  readonly temp: string;
  readonly final: string;
  readonly #stream: WriteStream;

  private constructor(final: string, temp: string, gzip: boolean) {
    this.final = final;
    this.temp = temp;
    this.#stream = createWriteStream(temp, { flags: 'wx' });
    this.sink = new ByteSink(this.#stream, { gzip });
  }

  static async open(final: string, gzip: boolean): Promise<PendingFile> {
    await mkdir(dirname(final), { recursive: true });
    // short temp name: the final name may already be 255 bytes long
    return new PendingFile(
      final,
      join(dirname(final), `.dbfork-tmp-${randomBytes(6).toString('hex')}`),
      gzip,
    );
  }

  async commit(): Promise<number> {
    await this.sink.end();
    await rename(this.temp, this.final);
    return this.sink.bytesOut;
  }

  async abort(): Promise<void> {
    this.sink.destroy();
    if (!this.#stream.closed)
      await new Promise<void>((resolve) => this.#stream.once('close', () => resolve()));
    await rm(this.temp, { force: true });
  }
}

/**
 * Write a {@link DumpEventStream} as a mongodump directory dump (spec §9) under `dir` (created if
 * missing): `prelude.json`, then per namespace `<db>/<stem>.bson` (raw documents, no framing) and
 * `<db>/<stem>.metadata.json` (the prelude entry's metadata text, verbatim), with `<stem>` the escaped
 * collection name (`collectionFileStem`); `.gz` on each with `gzip`. Views (type "view",
 * no documents) get only their metadata file; time-series data goes to `system.buckets.<name>.bson`.
 * The oplog intent (db "") is written as `<dir>/oplog.bson`.
 *
 * Each file is written under a temporary name in its folder and renamed when complete, so a file with
 * its final name is always whole. Interleaved namespaces are written to several open files at once,
 * each with its own backpressure.
 *
 * @throws ArchiveError from the event checks (see {@link DumpStreamGuard}), `ARCHIVE_BAD_NAME` for a
 *   database name that is not a safe folder name; file-system errors as they are. Temporary files are
 *   removed on error; files already renamed stay.
 */
export async function writeDirectory(
  events: DumpEventStream,
  dir: string,
  options: WriteDirectoryOptions = {},
): Promise<DirectoryWriteResult> {
  const gzip = options.gzip ?? false;
  const guard = new DumpStreamGuard();
  const open = new Map<NamespaceTally, PendingFile>();
  const files: string[] = [];
  let bytesWritten = 0;
  const writeWhole = async (path: string, text: string): Promise<void> => {
    const file = await PendingFile.open(path, gzip);
    try {
      await file.sink.write(Buffer.from(text, 'utf8'));
      bytesWritten += await file.commit();
      files.push(relative(dir, path));
    } catch (error) {
      await file.abort();
      throw error;
    }
  };
  try {
    await mkdir(dir, { recursive: true });
    for await (const event of events) {
      const tally = guard.accept(event);
      if (event.type === 'prelude') {
        const prelude = JSON.stringify({
          ServerVersion: event.serverVersion,
          ToolVersion: options.toolVersion ?? event.toolVersion,
        });
        await writeWhole(join(dir, PRELUDE_FILE + (gzip ? GZ_SUFFIX : '')), prelude);
        // check every name before writing any data
        for (const t of guard.tallies) dumpFilePath(dir, t.namespace, BSON_SUFFIX, gzip);
        continue;
      }
      if (!tally) continue;
      if (event.type === 'document') {
        let file = open.get(tally);
        if (!file) {
          file = await PendingFile.open(dumpFilePath(dir, tally.namespace, BSON_SUFFIX, gzip), gzip);
          open.set(tally, file);
        }
        tally.add(event.bson);
        await file.sink.write(event.bson);
        continue;
      }
      let file = open.get(tally);
      if (!file && tally.entry.collectionType !== 'view')
        file = await PendingFile.open(dumpFilePath(dir, tally.namespace, BSON_SUFFIX, gzip), gzip);
      if (file) {
        open.delete(tally);
        bytesWritten += await file.commit();
        files.push(relative(dir, file.final));
      }
      const meta = metadataPath(dir, tally.entry, gzip);
      if (meta) await writeWhole(meta, tally.entry.metadataJson);
    }
    guard.finish();
  } catch (error) {
    await Promise.all([...open.values()].map((f) => f.abort()));
    throw error;
  }
  return { bytesWritten, collections: guard.tallies.map((t) => t.summary()), files };
}

/** The metadata file of an entry (named after the entry, the view name for time-series), if it has metadata. */
function metadataPath(dir: string, entry: CollectionEntry, gzip: boolean): string | undefined {
  if (entry.metadataJson === '') return undefined;
  return dumpFilePath(dir, entry.namespace, METADATA_SUFFIX, gzip);
}

function relative(root: string, path: string): string {
  return path.slice(root.length).replace(/^[/\\]+/, '');
}
