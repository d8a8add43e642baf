import { ByteSink } from './byte-sink.js';
import type { CollectionEntry, DumpEventStream } from '../core/dump-event.js';
import type { DumpFileTarget, DumpFileUpload } from './dump-files.js';
import { BSON_SUFFIX, dumpFilePath, METADATA_SUFFIX, PRELUDE_FILE, GZ_SUFFIX } from './dump-file-names.js';
import { DumpStreamGuard } from './dump-stream-guard.js';
import { fsDumpFileTarget } from './fs-dump-files.js';
import type { NamespaceSummary, NamespaceTally } from './namespace-tally.js';

export interface WriteDirectoryOptions {
  /** Gzip each file separately and add `.gz`, as `mongodump --gzip` (default false). */
  readonly gzip?: boolean;
  /** `ToolVersion` of prelude.json (default: the prelude event's). */
  readonly toolVersion?: string;
}

/** What {@link writeDirectory} wrote. */
export interface DirectoryWriteResult {
  /** Bytes stored, all files together (compressed sizes when gzipping). */
  readonly bytesWritten: number;
  /** One entry per prelude namespace, in prelude order. */
  readonly collections: NamespaceSummary[];
  /** Paths of the files written, relative to the dump and `/`-separated, in completion order. */
  readonly files: string[];
}

/** A file of the dump being written; it exists under its name only after {@link PendingFile.commit}. */
class PendingFile {
  readonly sink: ByteSink;
  readonly path: string;
  readonly #upload: DumpFileUpload;

  constructor(target: DumpFileTarget, path: string, gzip: boolean) {
    this.path = path;
    this.#upload = target.create(path);
    this.sink = new ByteSink(this.#upload.stream, { gzip });
  }

  /** @returns the bytes stored (compressed size when gzipping) */
  async commit(): Promise<number> {
    await this.sink.end();
    await this.#upload.done;
    return this.sink.bytesOut;
  }

  async abort(): Promise<void> {
    this.sink.destroy();
    await this.#upload.done.catch(() => undefined);
  }
}

/**
 * Write a {@link DumpEventStream} as a mongodump directory dump (spec §9) into `target`: a folder
 * (created if missing) or any {@link DumpFileTarget}, such as a snapshot's keys. Files: `prelude.json`, then per namespace `<db>/<stem>.bson` (raw documents, no framing) and
 * `<db>/<stem>.metadata.json` (the prelude entry's metadata text, verbatim), with `<stem>` the escaped
 * collection name (`collectionFileStem`); `.gz` on each with `gzip`. Views (type "view",
 * no documents) get only their metadata file; time-series data goes to `system.buckets.<name>.bson`.
 * The oplog intent (db "") is written as `<dir>/oplog.bson`.
 *
 * Each file appears under its name only when complete (in a folder: temporary name, then rename).
 * Interleaved namespaces are written to several open files at once, each with its own backpressure.
 *
 * @throws ArchiveError from the event checks (see {@link DumpStreamGuard}), `ARCHIVE_BAD_NAME` for a
 *   database name that is not a safe folder name; the target's errors as they are. Files not
 *   complete are discarded on error; files already complete stay.
 */
export async function writeDirectory(
  events: DumpEventStream,
  dir: string | DumpFileTarget,
  options: WriteDirectoryOptions = {},
): Promise<DirectoryWriteResult> {
  const gzip = options.gzip ?? false;
  const target = typeof dir === 'string' ? fsDumpFileTarget(dir) : dir;
  const guard = new DumpStreamGuard();
  const open = new Map<NamespaceTally, PendingFile>();
  const files: string[] = [];
  let bytesWritten = 0;
  const writeWhole = async (path: string, text: string): Promise<void> => {
    const file = new PendingFile(target, path, gzip);
    try {
      await file.sink.write(Buffer.from(text, 'utf8'));
      bytesWritten += await file.commit();
      files.push(path);
    } catch (error) {
      await file.abort();
      throw error;
    }
  };
  try {
    for await (const event of events) {
      const tally = guard.accept(event);
      if (event.type === 'prelude') {
        const prelude = JSON.stringify({
          ServerVersion: event.serverVersion,
          ToolVersion: options.toolVersion ?? event.toolVersion,
        });
        await writeWhole(PRELUDE_FILE + (gzip ? GZ_SUFFIX : ''), prelude);
        // check every name before writing any data
        for (const t of guard.tallies) dumpFilePath(t.namespace, BSON_SUFFIX, gzip);
        continue;
      }
      if (!tally) continue;
      if (event.type === 'document') {
        let file = open.get(tally);
        if (!file) {
          file = new PendingFile(target, dumpFilePath(tally.namespace, BSON_SUFFIX, gzip), gzip);
          open.set(tally, file);
        }
        tally.add(event.bson);
        await file.sink.write(event.bson);
        continue;
      }
      let file = open.get(tally);
      if (!file && tally.entry.collectionType !== 'view')
        file = new PendingFile(target, dumpFilePath(tally.namespace, BSON_SUFFIX, gzip), gzip);
      if (file) {
        open.delete(tally);
        bytesWritten += await file.commit();
        files.push(file.path);
      }
      const meta = metadataPath(tally.entry, gzip);
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
function metadataPath(entry: CollectionEntry, gzip: boolean): string | undefined {
  if (entry.metadataJson === '') return undefined;
  return dumpFilePath(entry.namespace, METADATA_SUFFIX, gzip);
}
