import { Readable, pipeline } from 'node:stream';
import { gunzipSync, createGunzip } from 'node:zlib';
import type { Namespace } from '../core/namespace.js';
import { formatNamespace } from '../core/namespace.js';
import { archiveFailure, HINT_DAMAGED } from './archive-failure.js';
import { ChunkReader } from './chunk-reader.js';
import { parseCollectionMetadata } from './collection-metadata.js';
import { dataNamespaceOf } from './data-namespace.js';
import { readFrame } from './document-frame.js';
import { objcheckDocument } from './objcheck.js';
import type { CollectionEntry, DumpEvent } from '../core/dump-event.js';
import type { DumpFileSource } from './dump-files.js';
import { GZ_SUFFIX, PRELUDE_FILE } from './dump-file-names.js';
import { collectionFileStem, collectionFromFileStem } from './file-name-escape.js';
import { fsDumpFileSource } from './fs-dump-files.js';
import { collectFiles, inFolder, listDump, type FolderFiles } from './directory-listing.js';

export interface ReadDirectoryOptions {
  /**
   * Check every document's BSON structure before yielding it (default true; see bson-structure.ts):
   * a malformed document is an `ARCHIVE_BAD_DOCUMENT` naming its namespace, file, offset and position.
   */
  readonly objcheck?: boolean;
}

/** One namespace found in a dump folder: its prelude entry and its data file, if any. */
interface FoundCollection {
  readonly entry: CollectionEntry;
  readonly dataFile: string | undefined;
}

/**
 * Read a mongodump directory dump (`mongodump --out`, spec §9) as a {@link DumpEvent} stream: one
 * `prelude` (versions from `prelude.json` when present, else ""; `concurrentCollections` 1), then each
 * namespace's documents and its `end` (no `crc64`: directories carry none), one namespace after another,
 * databases and collections in name order.
 *
 * Layout understood: `<dir>/<db>/<stem>.bson[.gz]` and `<stem>.metadata.json[.gz]` (gzip by suffix),
 * `<dir>/oplog.bson` (namespace `{db:"", collection:"oplog"}`), `prelude.json[.gz]` at the top or in
 * a database folder. A folder holding `.bson`/`.metadata.json` files and no sub-folders is read as a
 * single database named after the folder. Collection names come from the metadata's `collectionName`,
 * else from the file name (`url.QueryUnescape`). A metadata file without data is a view (or an empty
 * collection); time-series data is `system.buckets.<name>.bson` next to `<name>.metadata.json`.
 *
 * Streaming: one file is open at a time, read with backpressure; memory is bounded by one document.
 * `dir` is a folder, or any {@link DumpFileSource} (a snapshot's keys in a store).
 *
 * @throws ArchiveError `ARCHIVE_BAD_METADATA` (metadata file not Extended JSON), `ARCHIVE_BAD_NAME`
 *   (file name with an invalid escape), `ARCHIVE_TRUNCATED`/`ARCHIVE_BAD_LENGTH`/`ARCHIVE_BAD_DOCUMENT`
 *   (a `.bson` file cut short or damaged, or a document that is not valid BSON unless `objcheck: false`;
 *   subject `file` + `offset`), `ARCHIVE_BAD_GZIP`
 */
export async function* readDirectory(
  dir: string | DumpFileSource,
  options: ReadDirectoryOptions = {},
): AsyncGenerator<DumpEvent, void, undefined> {
  const objcheck = options.objcheck ?? true;
  const source = typeof dir === 'string' ? fsDumpFileSource(dir) : dir;
  const listing = listDump(await source.list());
  const topFiles = collectFiles('', listing.top);
  let versions = await readPrelude(source, '', listing.top);
  const found: FoundCollection[] = [];
  if (listing.databases.size === 0 && (topFiles.data.size > 0 || topFiles.metadata.size > 0)) {
    found.push(...(await collectDatabase(source, source.name, topFiles)));
  } else {
    const oplog = topFiles.data.get('oplog');
    if (oplog)
      found.push({
        entry: { namespace: { db: '', collection: 'oplog' }, collectionType: '', metadataJson: '' },
        dataFile: oplog,
      });
    for (const [db, names] of listing.databases) {
      versions ??= await readPrelude(source, db, names);
      found.push(...(await collectDatabase(source, db, collectFiles(db, names))));
    }
  }
  yield {
    type: 'prelude',
    serverVersion: versions?.serverVersion ?? '',
    toolVersion: versions?.toolVersion ?? '',
    concurrentCollections: 1,
    collections: found.map((f) => f.entry),
  };
  for (const { entry, dataFile } of found) {
    const namespace = dataNamespaceOf(entry);
    if (dataFile) yield* readBsonFile(source, dataFile, namespace, objcheck);
    yield { type: 'end', namespace };
  }
}

async function collectDatabase(
  source: DumpFileSource,
  db: string,
  files: FolderFiles,
): Promise<FoundCollection[]> {
  const out: FoundCollection[] = [];
  const claimed = new Set<string>();
  for (const [stem, path] of files.metadata) {
    const text = await readText(source, path);
    const meta = parseCollectionMetadata(text, { file: source.locate(path) });
    const collection = meta.collectionName ?? nameFromStem(stem, source.locate(path));
    const entry: CollectionEntry = {
      namespace: { db, collection },
      collectionType: meta.collectionType ?? (meta.options.viewOn !== undefined ? 'view' : 'collection'),
      metadataJson: text,
    };
    const dataCollection = dataNamespaceOf(entry).collection;
    const candidates =
      entry.collectionType === 'timeseries'
        ? [collectionFileStem(dataCollection), `system.buckets.${stem}`]
        : [collectionFileStem(dataCollection), stem];
    const dataStem = candidates.find((s) => files.data.has(s) && !claimed.has(s));
    if (dataStem) claimed.add(dataStem);
    out.push({ entry, dataFile: dataStem === undefined ? undefined : files.data.get(dataStem) });
  }
  for (const [stem, path] of files.data) {
    if (claimed.has(stem)) continue;
    out.push({
      entry: {
        namespace: { db, collection: nameFromStem(stem, source.locate(path)) },
        collectionType: 'collection',
        metadataJson: '',
      },
      dataFile: path,
    });
  }
  return out.sort((a, b) => compare(a.entry.namespace.collection, b.entry.namespace.collection));
}

function nameFromStem(stem: string, file: string): string {
  const name = collectionFromFileStem(stem);
  if (name === undefined || name === '')
    throw archiveFailure(
      'ARCHIVE_BAD_NAME',
      `file name ${JSON.stringify(stem)} is not a valid escaped collection name`,
      { file },
      'file names in a dump are url.QueryEscape-d collection names (mongodump writes them so); rename the file',
    );
  return name;
}

async function readPrelude(
  source: DumpFileSource,
  folder: string,
  names: readonly string[],
): Promise<{ serverVersion: string; toolVersion: string } | undefined> {
  const name = names.find((n) => n === PRELUDE_FILE || n === PRELUDE_FILE + GZ_SUFFIX);
  if (!name) return undefined;
  const path = inFolder(folder, name);
  const text = await readText(source, path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw archiveFailure(
      'ARCHIVE_BAD_HEADER',
      `${name} is not valid JSON`,
      { file: source.locate(path) },
      HINT_DAMAGED,
      error,
    );
  }
  const { ServerVersion, ToolVersion } = (value ?? {}) as Record<string, unknown>;
  return {
    serverVersion: typeof ServerVersion === 'string' ? ServerVersion : '',
    toolVersion: typeof ToolVersion === 'string' ? ToolVersion : '',
  };
}

/** A small file's text (metadata, prelude), gunzipped when its name ends in `.gz`. */
async function readText(source: DumpFileSource, path: string): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of await source.open(path)) parts.push(Buffer.from(chunk));
  const bytes = Buffer.concat(parts);
  if (!path.endsWith(GZ_SUFFIX)) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (error) {
    throw archiveFailure(
      'ARCHIVE_BAD_GZIP',
      `${baseName(path)} is not valid gzip`,
      { file: source.locate(path) },
      HINT_DAMAGED,
      error,
    );
  }
}

/** Stream one `.bson[.gz]` file: concatenated documents, no framing beyond each document's length. */
async function* readBsonFile(
  source: DumpFileSource,
  path: string,
  namespace: Namespace,
  objcheck: boolean,
): AsyncGenerator<DumpEvent, void, undefined> {
  const opened = await source.open(path);
  const file = opened instanceof Readable ? opened : Readable.from(opened, { objectMode: false });
  const gzip = path.endsWith(GZ_SUFFIX);
  const stream = gzip ? pipeline(file, createGunzip(), () => undefined) : file;
  const reader = new ChunkReader(stream as AsyncIterable<Uint8Array>);
  const context = { namespace: formatNamespace(namespace), file: source.locate(path) };
  let position = 0;
  try {
    for (;;) {
      let frame;
      try {
        frame = await readFrame(reader, context, false);
      } catch (error) {
        if (
          (error as { code?: string }).code?.startsWith('Z_') ||
          /unexpected end of file/.test(String(error))
        )
          throw archiveFailure(
            'ARCHIVE_BAD_GZIP',
            `${baseName(path)} is not valid gzip: ${(error as Error).message}`,
            { ...context, offset: reader.offset },
            HINT_DAMAGED,
            error,
          );
        throw error;
      }
      if (frame.kind === 'end') return;
      if (frame.kind !== 'document') continue;
      position++;
      if (objcheck) objcheckDocument(frame.bytes, { ...context, offset: frame.offset, position });
      yield { type: 'document', namespace, bson: frame.bytes };
    }
  } finally {
    await reader.close();
    file.destroy();
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
