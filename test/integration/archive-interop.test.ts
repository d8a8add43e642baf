import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  Binary,
  BSON,
  BSONRegExp,
  BSONSymbol,
  Code,
  Decimal128,
  Double,
  EJSON,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDump, writeDump } from '../../src/archive/index.js';
import type { DumpEvent } from '../../src/core/dump-event.js';
import { runCli } from '../helpers/run-cli.js';
import { ATLAS_DUMP, testServers, uniqueDbName } from '../helpers/servers.js';

const run = promisify(execFile);
const servers = testServers();
const tool = (name: string) => join(servers.toolsBin, name);

/** Expected documents per collection of the Atlas sample dump. */
const ATLAS_COUNTS: Record<string, Record<string, number>> = {
  sample_analytics: { accounts: 1746, customers: 500 },
  sample_mflix: { sessions: 1, theaters: 1564, users: 185 },
};

/** Every document of an Atlas sample collection, raw, keyed by its canonical-EJSON `_id`. */
function atlasDocuments(db: string, collection: string): Map<string, Buffer> {
  const bytes = readFileSync(join(ATLAS_DUMP, db, `${collection}.bson`));
  const out = new Map<string, Buffer>();
  for (let p = 0; p < bytes.length;) {
    const length = bytes.readInt32LE(p);
    const document = bytes.subarray(p, p + length);
    out.set(idKey(document), document);
    p += length;
  }
  return out;
}

function idKey(document: Uint8Array): string {
  return EJSON.stringify(BSON.deserialize(document, { promoteValues: false })._id, { relaxed: false });
}

/**
 * Compare a restored collection with the Atlas source, document by document, on the raw BSON bytes the
 * server returns (driver `raw: true`): same set of `_id`s and identical bytes, so key order and every
 * BSON type (int32 vs int64 vs double…) must survive.
 */
async function expectIdenticalDocuments(
  client: MongoClient,
  db: string,
  sourceDb: string,
  collection: string,
) {
  const expected = atlasDocuments(sourceDb, collection);
  const raw = (await client
    .db(db)
    .collection(collection)
    .find({}, { raw: true })
    .toArray()) as unknown as Buffer[];
  expect(raw.length, `${db}.${collection}`).toBe(expected.size);
  let identical = 0;
  for (const document of raw) {
    const want = expected.get(idKey(document));
    expect(want, `${collection} ${idKey(document)}`).toBeDefined();
    if (want && Buffer.compare(Buffer.from(document), want) === 0) identical++;
  }
  expect(identical, `${db}.${collection}: byte-identical documents`).toBe(expected.size);
}

async function collect(events: AsyncIterable<DumpEvent>): Promise<DumpEvent[]> {
  const out: DumpEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

interface InspectResult {
  format: string;
  gzip: boolean | null;
  serverVersion: string;
  toolVersion: string;
  collections: {
    namespace: string;
    documents: number;
    crc: string;
    type: string;
    indexes: { name: string }[];
  }[];
  ok: boolean;
}

async function inspect(path: string, input?: Buffer): Promise<InspectResult> {
  const result = await runCli(['archive', 'inspect', path, '--json'], input ? { input } : {});
  expect(result.code, result.stderr).toBe(0);
  const line = result.stdout.trim().split('\n').at(-1) as string;
  return (JSON.parse(line) as { result: InspectResult }).result;
}

describe('archive interop with the real mongodump / mongorestore / bsondump 100.10.0', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-archive-interop-'));
  const sourceDbs = { sample_analytics: uniqueDbName('arch_an'), sample_mflix: uniqueDbName('arch_mf') };
  const targetDbs: string[] = [];
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);

  beforeAll(async () => {
    // load the Atlas sample dump into the source FerretDB (no indexes: FerretDB rejects the `ns` option)
    await run(tool('mongorestore'), [
      `--uri=${servers.sourceUri}`,
      '--noIndexRestore',
      `--dir=${ATLAS_DUMP}`,
      '--nsInclude=sample_analytics.*',
      '--nsInclude=sample_mflix.*',
      '--nsFrom=sample_analytics.*',
      `--nsTo=${sourceDbs.sample_analytics}.*`,
      '--nsFrom=sample_mflix.*',
      `--nsTo=${sourceDbs.sample_mflix}.*`,
    ]);
  });

  afterAll(async () => {
    for (const db of Object.values(sourceDbs)) await source.db(db).dropDatabase();
    for (const db of targetDbs) await target.db(db).dropDatabase();
    await Promise.all([source.close(), target.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Restore into fresh target databases: sample_* renamed to unique names. */
  function restoreNames(): { args: string[]; dbs: { sample_analytics: string; sample_mflix: string } } {
    const dbs = { sample_analytics: uniqueDbName('arch_t_an'), sample_mflix: uniqueDbName('arch_t_mf') };
    targetDbs.push(...Object.values(dbs));
    return {
      dbs,
      args: Object.entries(dbs).flatMap(([from, to]) => [`--nsFrom=${from}.*`, `--nsTo=${to}.*`]),
    };
  }

  it('inspects real `mongodump --archive` and `--archive --gzip` output from FerretDB with correct counts', async () => {
    for (const [sample, db] of Object.entries(sourceDbs)) {
      for (const gzip of [false, true]) {
        const path = join(dir, `${db}${gzip ? '.archive.gz' : '.archive'}`);
        await run(tool('mongodump'), [
          `--uri=${servers.sourceUri}`,
          `--db=${db}`,
          `--archive=${path}`,
          ...(gzip ? ['--gzip'] : []),
        ]);
        const report = await inspect(path);
        expect(report).toMatchObject({
          format: 'archive',
          gzip,
          serverVersion: '7.0.42',
          toolVersion: '100.10.0',
          ok: true,
        });
        const counts = Object.fromEntries(
          report.collections.map((c) => [c.namespace.slice(db.length + 1), c.documents]),
        );
        expect(counts).toEqual(ATLAS_COUNTS[sample]);
        expect(report.collections.every((c) => c.crc === 'ok' && c.type === 'collection')).toBe(true);
        expect(report.collections.every((c) => c.indexes.some((i) => i.name === '_id_'))).toBe(true);
      }
    }
    // and from stdin
    const piped = await inspect('-', readFileSync(join(dir, `${sourceDbs.sample_mflix}.archive.gz`)));
    expect(piped.collections.reduce((n, c) => n + c.documents, 0)).toBe(1750);
  });

  it('rewrites a real mongodump archive byte for byte (plain, and the gunzipped content of --gzip)', async () => {
    for (const db of Object.values(sourceDbs)) {
      const plain = join(dir, `${db}.archive`);
      const rewritten = join(dir, `${db}.rewritten.archive`);
      await writeDump(readDump(plain), rewritten, { format: 'archive' });
      expect(readFileSync(rewritten).equals(readFileSync(plain))).toBe(true);
      const fromGzip = join(dir, `${db}.rewritten-from-gz.archive`);
      await writeDump(readDump(`${plain}.gz`), fromGzip, { format: 'archive' });
      expect(readFileSync(fromGzip).equals(gunzipSync(readFileSync(`${plain}.gz`)))).toBe(true);
    }
  });

  it('matches mongodump on an empty collection: the archive byte for byte (same events when mongodump split a collection by timing), the empty .bson file byte for byte', async () => {
    const db = uniqueDbName('arch_empty');
    try {
      await source.db(db).createCollection('nothing');
      await source
        .db(db)
        .collection<{ _id: number }>('some')
        .insertMany([{ _id: 1 }, { _id: 2 }]);
      const archive = join(dir, `${db}.archive`);
      const out = join(dir, `${db}-dir`);
      await run(tool('mongodump'), [`--uri=${servers.sourceUri}`, `--db=${db}`, `--archive=${archive}`]);
      await run(tool('mongodump'), [`--uri=${servers.sourceUri}`, `--db=${db}`, `--out=${out}`]);
      const rewritten = join(dir, `${db}.rewritten.archive`);
      await writeDump(readDump(archive), rewritten, { format: 'archive' });
      if (!readFileSync(rewritten).equals(readFileSync(archive))) {
        // mongodump multiplexes concurrent collections by timing: under load it may switch namespaces
        // mid-collection, a layout the rewrite does not copy. Then the rewrite must still hold the same
        // prelude, documents and ends, and rewrite itself byte for byte.
        expect(await dumpEvents(rewritten)).toEqual(await dumpEvents(archive));
        const again = join(dir, `${db}.again.archive`);
        await writeDump(readDump(rewritten), again, { format: 'archive' });
        expect(readFileSync(again).equals(readFileSync(rewritten))).toBe(true);
      }
      const copy = join(dir, `${db}-copy`);
      await writeDump(readDump(out), copy, { format: 'directory' });
      const files = readdirSync(join(out, db)).sort();
      expect(files).toEqual(['nothing.bson', 'nothing.metadata.json', 'some.bson', 'some.metadata.json']);
      for (const name of files)
        expect(readFileSync(join(copy, db, name)).equals(readFileSync(join(out, db, name))), name).toBe(true);
    } finally {
      await source.db(db).dropDatabase();
    }
  });

  it('exits 4 with the error code and namespace when inspecting a damaged mongodump archive', async () => {
    const bytes = readFileSync(join(dir, `${sourceDbs.sample_mflix}.archive`));
    const damaged = Buffer.from(bytes);
    damaged[bytes.length - 2000] = (damaged[bytes.length - 2000] as number) ^ 0x04;
    const result = await runCli(['archive', 'inspect', '-'], { input: damaged });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/ARCHIVE_CRC_MISMATCH|ARCHIVE_BAD_/);
    expect(result.stderr).toMatch(new RegExp(`namespace=${sourceDbs.sample_mflix}\\.`));
    const truncated = await runCli(['archive', 'inspect', '-'], {
      input: bytes.subarray(0, bytes.length - 100),
    });
    expect(truncated.code).toBe(4);
    expect(truncated.stderr).toContain('ARCHIVE_TRUNCATED');
    expect(truncated.stderr).toMatch(/offset=\d+/);
  });

  it('our archive writer (plain and gzip) restores with the real mongorestore, documents byte-identical', async () => {
    for (const gzip of [false, true]) {
      const path = join(dir, `ours${gzip ? '.archive.gz' : '.archive'}`);
      const summary = await writeDump(readDump(ATLAS_DUMP), path, { format: 'archive', gzip });
      expect(summary.collections.map((c) => c.documents)).toEqual([1746, 500, 1, 1564, 185]);
      const { args, dbs } = restoreNames();
      await run(tool('mongorestore'), [
        `--uri=${servers.targetUri}`,
        `--archive=${path}`,
        ...(gzip ? ['--gzip'] : []),
        '--noIndexRestore',
        ...args,
      ]);
      for (const [sample, collections] of Object.entries(ATLAS_COUNTS))
        for (const collection of Object.keys(collections))
          await expectIdenticalDocuments(target, dbs[sample as keyof typeof dbs], sample, collection);
    }
  });

  it('our directory writer: bsondump reads every .bson, and the real mongorestore --dir restores it byte-identical', async () => {
    const out = join(dir, 'ours-dir');
    await writeDump(readDump(ATLAS_DUMP), out, { format: 'directory' });
    for (const [db, collections] of Object.entries(ATLAS_COUNTS)) {
      for (const [collection, count] of Object.entries(collections)) {
        const { stdout, stderr } = await run(
          tool('bsondump'),
          ['--objcheck', join(out, db, `${collection}.bson`)],
          {
            maxBuffer: 64 * 1024 * 1024,
          },
        );
        expect(stderr).toContain(`${count} objects found`);
        expect(stdout.trim().split('\n')).toHaveLength(count);
      }
    }
    const { args, dbs } = restoreNames();
    await run(tool('mongorestore'), [
      `--uri=${servers.targetUri}`,
      `--dir=${out}`,
      '--noIndexRestore',
      ...args,
    ]);
    for (const [sample, collections] of Object.entries(ATLAS_COUNTS))
      for (const collection of Object.keys(collections))
        await expectIdenticalDocuments(target, dbs[sample as keyof typeof dbs], sample, collection);
  });

  it('bsondump decodes every BSON type our writers pass through (types FerretDB cannot store)', async () => {
    const ns = { db: 'zoo', collection: 'types' };
    const docs = [
      {
        _id: new ObjectId(),
        decimal: Decimal128.fromString('-12.345E+6'),
        negZero: new Double(-0),
        nan: new Double(NaN),
        int64: Long.fromString('-9223372036854775808'),
        nested: [[new Int32(1), [new Int32(2)]]],
        bin3: new Binary(Buffer.alloc(16, 1), 3),
        bin4: new Binary(Buffer.alloc(16, 2), 4),
        ts: new Timestamp({ t: 1, i: 2 }),
        min: new MinKey(),
        max: new MaxKey(),
        regex: new BSONRegExp('a+', 'i'),
        code: new Code('f()'),
        scope: new Code('g()', { a: new Int32(1) }),
        symbol: new BSONSymbol('s'),
        nul: 'a\u0000b',
      },
    ].map((d) => BSON.serialize(d));
    async function* events(): AsyncGenerator<DumpEvent> {
      yield {
        type: 'prelude',
        serverVersion: '',
        toolVersion: 'test',
        concurrentCollections: 1,
        collections: [{ namespace: ns, collectionType: 'collection', metadataJson: '' }],
      };
      for (const bson of docs) yield { type: 'document', namespace: ns, bson };
      yield { type: 'end', namespace: ns };
    }
    const out = join(dir, 'zoo-dir');
    await writeDump(events(), out, { format: 'directory' });
    expect(readdirSync(join(out, 'zoo'))).toEqual(['types.bson']);
    const { stdout, stderr } = await run(tool('bsondump'), ['--objcheck', join(out, 'zoo', 'types.bson')]);
    expect(stderr).toContain('1 objects found');
    const json = JSON.parse(stdout) as Record<string, unknown>;
    expect(json.decimal).toEqual({ $numberDecimal: '-1.2345E+7' });
    expect(json.int64).toEqual({ $numberLong: '-9223372036854775808' });
    expect(json.min).toEqual({ $minKey: 1 });
    expect(json.symbol).toEqual({ $symbol: 's' });
    expect(json.bin4).toEqual({ $binary: { base64: Buffer.alloc(16, 2).toString('base64'), subType: '04' } });
    // and our own reader gives the same bytes back
    const back = (await collect(readDump(out))).filter((e) => e.type === 'document');
    expect(
      Buffer.from((back[0] as { bson: Uint8Array }).bson).equals(Buffer.from(docs[0] as Uint8Array)),
    ).toBe(true);
  });

  it('reads a real `mongodump --out` directory (and --gzip) from FerretDB with metadata collectionName/type', async () => {
    const db = sourceDbs.sample_mflix;
    for (const gzip of [false, true]) {
      const out = join(dir, `mongodump-dir${gzip ? '-gz' : ''}`);
      await run(tool('mongodump'), [
        `--uri=${servers.sourceUri}`,
        `--db=${db}`,
        `--out=${out}`,
        ...(gzip ? ['--gzip'] : []),
      ]);
      const events = await collect(readDump(out));
      const first = events[0] as Extract<DumpEvent, { type: 'prelude' }>;
      expect(first.collections.map((c) => [c.namespace.collection, c.collectionType]).sort()).toEqual([
        ['sessions', 'collection'],
        ['theaters', 'collection'],
        ['users', 'collection'],
      ]);
      expect(events.filter((e) => e.type === 'document')).toHaveLength(1750);
    }
  });
});

/** Every event of a dump, documents as Buffers, ends without the reader's CRC (the layout's, not the data's). */
async function dumpEvents(path: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const event of readDump(path))
    out.push(
      event.type === 'document'
        ? { ...event, bson: Buffer.from(event.bson) }
        : event.type === 'end'
          ? { type: 'end', namespace: event.namespace }
          : event,
    );
  return out;
}
