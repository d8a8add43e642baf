import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream';
import { gunzipSync, createGunzip } from 'node:zlib';
import type { Namespace } from '../core/namespace.js';
import { formatNamespace } from '../core/namespace.js';
import { archiveFailure, HINT_DAMAGED } from './archive-failure.js';
import { ChunkReader } from './chunk-reader.js';
import { parseCollectionMetadata } from './collection-metadata.js';
import { dataNamespaceOf } from './data-namespace.js';
import { readFrame } from './document-frame.js';
import type { CollectionEntry, DumpEvent } from '../core/dump-event.js';
import { BSON_SUFFIX, GZ_SUFFIX, METADATA_SUFFIX, PRELUDE_FILE } from './dump-file-names.js';
import { collectionFileStem, collectionFromFileStem } from './file-name-escape.js';

/** One namespace found in a dump folder: its prelude entry and its data file, if any. */
interface FoundCollection {
  readonly entry: CollectionEntry;
  readonly dataFile: string | undefined;
}

interface FolderFiles {
  /** stem → path, for `<stem>.bson[.gz]`. */
  readonly data: Map<string, string>;
  /** stem → path, for `<stem>.metadata.json[.gz]`. */
  readonly metadata: Map<string, string>;
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
 *
 * @throws ArchiveError `ARCHIVE_BAD_METADATA` (metadata file not Extended JSON), `ARCHIVE_BAD_NAME`
 *   (file name with an invalid escape), `ARCHIVE_TRUNCATED`/`ARCHIVE_BAD_LENGTH`/`ARCHIVE_BAD_DOCUMENT`
 *   (a `.bson` file cut short or damaged; subject `file` + `offset`), `ARCHIVE_BAD_GZIP`
 */
export async function* readDirectory(dir: string): AsyncGenerator<DumpEvent, void, undefined> {
  const top = await readdir(dir, { withFileTypes: true });
  const subdirs = top
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const topFiles = collectFiles(
    dir,
    top.filter((e) => e.isFile()).map((e) => e.name),
  );
  let versions = await readPrelude(
    dir,
    top.map((e) => e.name),
  );
  const found: FoundCollection[] = [];
  if (subdirs.length === 0 && (topFiles.data.size > 0 || topFiles.metadata.size > 0)) {
    found.push(...(await collectDatabase(basename(dir), topFiles)));
  } else {
    const oplog = topFiles.data.get('oplog');
    if (oplog)
      found.push({
        entry: { namespace: { db: '', collection: 'oplog' }, collectionType: '', metadataJson: '' },
        dataFile: oplog,
      });
    for (const db of subdirs) {
      const names = (await readdir(join(dir, db), { withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => e.name);
      versions ??= await readPrelude(join(dir, db), names);
      found.push(...(await collectDatabase(db, collectFiles(join(dir, db), names))));
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
    if (dataFile) yield* readBsonFile(dataFile, namespace);
    yield { type: 'end', namespace };
  }
}

function collectFiles(folder: string, names: readonly string[]): FolderFiles {
  const data = new Map<string, string>();
  const metadata = new Map<string, string>();
  for (const name of names) {
    const plain = name.endsWith(GZ_SUFFIX) ? name.slice(0, -GZ_SUFFIX.length) : name;
    if (plain.endsWith(METADATA_SUFFIX))
      metadata.set(plain.slice(0, -METADATA_SUFFIX.length), join(folder, name));
    else if (plain.endsWith(BSON_SUFFIX)) data.set(plain.slice(0, -BSON_SUFFIX.length), join(folder, name));
  }
  return { data, metadata };
}

async function collectDatabase(db: string, files: FolderFiles): Promise<FoundCollection[]> {
  const out: FoundCollection[] = [];
  const claimed = new Set<string>();
  for (const [stem, path] of files.metadata) {
    const text = await readText(path);
    const meta = parseCollectionMetadata(text, { file: path });
    const collection = meta.collectionName ?? nameFromStem(stem, path);
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
        namespace: { db, collection: nameFromStem(stem, path) },
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
  folder: string,
  names: readonly string[],
): Promise<{ serverVersion: string; toolVersion: string } | undefined> {
  const name = names.find((n) => n === PRELUDE_FILE || n === PRELUDE_FILE + GZ_SUFFIX);
  if (!name) return undefined;
  const path = join(folder, name);
  let value: unknown;
  try {
    value = JSON.parse(await readText(path));
  } catch (error) {
    throw archiveFailure(
      'ARCHIVE_BAD_HEADER',
      `${name} is not valid JSON`,
      { file: path },
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

async function readText(path: string): Promise<string> {
  const bytes = await readFile(path);
  if (!path.endsWith(GZ_SUFFIX)) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (error) {
    throw archiveFailure(
      'ARCHIVE_BAD_GZIP',
      `${basename(path)} is not valid gzip`,
      { file: path },
      HINT_DAMAGED,
      error,
    );
  }
}

/** Stream one `.bson[.gz]` file: concatenated documents, no framing beyond each document's length. */
async function* readBsonFile(path: string, namespace: Namespace): AsyncGenerator<DumpEvent, void, undefined> {
  const file = createReadStream(path);
  const gzip = path.endsWith(GZ_SUFFIX);
  const stream = gzip ? pipeline(file, createGunzip(), () => undefined) : file;
  const reader = new ChunkReader(stream as AsyncIterable<Uint8Array>);
  const context = { namespace: formatNamespace(namespace), file: path };
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
            `${basename(path)} is not valid gzip: ${(error as Error).message}`,
            { ...context, offset: reader.offset },
            HINT_DAMAGED,
            error,
          );
        throw error;
      }
      if (frame.kind === 'end') return;
      if (frame.kind === 'document') yield { type: 'document', namespace, bson: frame.bytes };
    }
  } finally {
    await reader.close();
    file.destroy();
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
