import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'bson';
import { MongoClient } from 'mongodb';
import { writeArchive } from '../../src/archive/index.js';
import type { DumpEvent } from '../../src/core/dump-event.js';
import { customer } from './generate.js';
import { measure } from './measure.js';

/** The namespace of every generated archive (the rules files of bench/lib/rules.ts name it). */
export const DATA_NS = { db: 'bench', collection: 'customers' } as const;

/** A generated archive on disk: `documents` customers in {@link DATA_NS}. */
export interface GeneratedArchive {
  readonly path: string;
  readonly documents: number;
  /** Sum of the documents' BSON sizes, in bytes (the "GB of BSON" the CPU figures divide by). */
  readonly bsonBytes: number;
}

/** The generated customer (bench/lib/generate.ts) plus a card number for the mask rule. */
export function benchDocument(i: number): Record<string, unknown> {
  return { ...customer(i), card: `4111${String(i).padStart(12, '0')}` };
}

/** Cache folder of generated archives, shared by the benches of a run (and later runs). */
export const DATA_DIR = process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'dbfork-bench-data');

/**
 * A mongodump archive of `count` generated documents, written once to {@link DATA_DIR} and reused
 * (a sidecar `.json` records its figures; it is written after the archive, so a half-written archive
 * is never reused).
 */
export async function generatedArchive(count: number): Promise<GeneratedArchive> {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, `customers-${count}.archive`);
  const sidecar = `${path}.json`;
  if (existsSync(path) && existsSync(sidecar))
    return JSON.parse(readFileSync(sidecar, 'utf8')) as GeneratedArchive;
  let bsonBytes = 0;
  async function* events(): AsyncGenerator<DumpEvent> {
    yield {
      type: 'prelude',
      serverVersion: '7.0.0',
      toolVersion: 'dbfork-bench',
      concurrentCollections: 1,
      collections: [
        {
          namespace: DATA_NS,
          collectionType: 'collection',
          metadataJson: JSON.stringify({ indexes: [{ v: 2, key: { _id: 1 }, name: '_id_' }] }),
        },
      ],
    };
    for (let i = 0; i < count; i++) {
      const bson = serialize(benchDocument(i));
      bsonBytes += bson.length;
      yield { type: 'document', namespace: DATA_NS, bson };
    }
    yield { type: 'end', namespace: DATA_NS };
  }
  const partial = `${path}.partial`;
  await writeArchive(events(), createWriteStream(partial));
  renameSync(partial, path);
  const result: GeneratedArchive = { path, documents: count, bsonBytes };
  writeFileSync(sidecar, JSON.stringify(result));
  return result;
}

/**
 * Make sure `db.customers` on `uri` holds the `count` generated documents: kept when the count already
 * matches, else dropped and loaded with `mongorestore --archive` of {@link generatedArchive} (much
 * faster than insertMany on FerretDB). `--noIndexRestore`: FerretDB refuses the index `ns` option;
 * the collection has only the `_id` index.
 */
export async function ensureLoaded(
  uri: string,
  toolsBin: string,
  db: string,
  count: number,
): Promise<GeneratedArchive> {
  const archive = await generatedArchive(count);
  const client = new MongoClient(uri);
  try {
    const coll = client.db(db).collection(DATA_NS.collection);
    if ((await coll.estimatedDocumentCount()) === count) return archive;
    await client.db(db).dropDatabase();
  } finally {
    await client.close();
  }
  const m = await measure(join(toolsBin, 'mongorestore'), [
    `--uri=${uri}`,
    `--archive=${archive.path}`,
    `--nsFrom=${DATA_NS.db}.*`,
    `--nsTo=${db}.*`,
    '--noIndexRestore',
    `--numInsertionWorkersPerCollection=2`,
  ]);
  if (m.exitCode !== 0) throw new Error(`loading ${db} with mongorestore failed: ${m.stderr}`);
  return archive;
}
