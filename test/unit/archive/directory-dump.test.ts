import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BSON, Int32 } from 'bson';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildCollectionMetadata,
  collectionFileStem,
  readDirectory,
  readDump,
  writeDirectory,
  writeDump,
} from '../../../src/archive/index.js';
import type { DumpEvent } from '../../../src/core/dump-event.js';
import { ATLAS_DUMP } from '../../helpers/servers.js';
import { doc, end, entry, fromArray, normalize, prelude, rejection } from './archive-test-kit.js';

const work = mkdtempSync(join(tmpdir(), 'dbfork-dir-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function collect(events: AsyncIterable<DumpEvent>): Promise<DumpEvent[]> {
  const out: DumpEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

function counts(events: readonly DumpEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) {
    if (e.type !== 'document') continue;
    const ns = `${e.namespace.db}.${e.namespace.collection}`;
    out[ns] = (out[ns] ?? 0) + 1;
  }
  return out;
}

const meta = (collectionName: string, type = 'collection') =>
  buildCollectionMetadata({
    options: {},
    indexes: [{ v: new Int32(2), key: { _id: new Int32(1) }, name: '_id_' }],
    collectionName,
    collectionType: type,
  });

describe('directory dump reader', () => {
  it('reads the Atlas sample dump with the right counts, in name order, without CRCs', async () => {
    const events = await collect(readDirectory(ATLAS_DUMP));
    expect(counts(events)).toEqual({
      'sample_analytics.accounts': 1746,
      'sample_analytics.customers': 500,
      'sample_mflix.sessions': 1,
      'sample_mflix.theaters': 1564,
      'sample_mflix.users': 185,
    });
    const first = events[0] as Extract<DumpEvent, { type: 'prelude' }>;
    expect(first.collections.map((c) => `${c.namespace.db}.${c.namespace.collection}`)).toEqual([
      'sample_analytics.accounts',
      'sample_analytics.customers',
      'sample_mflix.sessions',
      'sample_mflix.theaters',
      'sample_mflix.users',
    ]);
    expect(first.collections[0]?.metadataJson).toBe(
      readFileSync(join(ATLAS_DUMP, 'sample_analytics', 'accounts.metadata.json'), 'utf8'),
    );
    const ends = events.filter((e) => e.type === 'end');
    expect(ends).toHaveLength(5);
    expect(ends.every((e) => e.type === 'end' && e.crc64 === undefined)).toBe(true);
    // one namespace after another: each end directly follows its documents
    const order = events
      .filter((e) => e.type !== 'prelude')
      .map((e) => `${e.type === 'end' ? 'end ' : ''}${e.namespace.collection}`);
    expect(order.indexOf('end accounts')).toBe(1746);
  });

  it('reads the file bytes verbatim', async () => {
    const events = await collect(readDirectory(ATLAS_DUMP));
    const users = events.filter((e) => e.type === 'document' && e.namespace.collection === 'users');
    expect(Buffer.concat(users.map((e) => (e as { bson: Uint8Array }).bson))).toEqual(
      readFileSync(join(ATLAS_DUMP, 'sample_mflix', 'users.bson')),
    );
  });

  it('reads a single database folder, named after the folder', async () => {
    const events = await collect(readDump(join(ATLAS_DUMP, 'sample_mflix')));
    expect(counts(events)).toEqual({
      'sample_mflix.sessions': 1,
      'sample_mflix.theaters': 1564,
      'sample_mflix.users': 185,
    });
  });

  it('rejects a truncated .bson file naming the file and offset', async () => {
    const dir = join(work, 'truncated');
    cpSync(join(ATLAS_DUMP, 'sample_mflix'), join(dir, 'sample_mflix'), { recursive: true });
    const path = join(dir, 'sample_mflix', 'users.bson');
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 3));
    const error = await rejection(collect(readDirectory(dir)));
    expect(error.code).toBe('ARCHIVE_TRUNCATED');
    expect(error.subject.file).toBe(path);
    expect(error.subject.namespace).toBe('sample_mflix.users');
    expect(error.subject.offset).toBeGreaterThan(29_000);
  });

  it('rejects a metadata file that is not Extended JSON', async () => {
    const dir = join(work, 'badmeta');
    mkdirSync(join(dir, 'db'), { recursive: true });
    writeFileSync(join(dir, 'db', 'c.metadata.json'), '{"indexes":[');
    const error = await rejection(collect(readDirectory(dir)));
    expect(error.code).toBe('ARCHIVE_BAD_METADATA');
    expect(error.subject.file).toBe(join(dir, 'db', 'c.metadata.json'));
  });
});

describe('directory dump writer', () => {
  it('writes the Atlas sample dump back with identical .bson bytes and metadata', async () => {
    const out = join(work, 'atlas-copy');
    const summary = await writeDump(readDump(ATLAS_DUMP), out, { format: 'directory' });
    for (const db of ['sample_analytics', 'sample_mflix'])
      for (const name of readdirSync(join(ATLAS_DUMP, db)))
        expect(readFileSync(join(out, db, name)).equals(readFileSync(join(ATLAS_DUMP, db, name))), name).toBe(
          true,
        );
    expect(JSON.parse(readFileSync(join(out, 'prelude.json'), 'utf8'))).toEqual({
      ServerVersion: '',
      ToolVersion: '',
    });
    expect(summary.collections.map((c) => c.documents)).toEqual([1746, 500, 1, 1564, 185]);
    expect(readdirSync(join(out, 'sample_mflix')).some((n) => n.startsWith('.dbfork-tmp'))).toBe(false);
  });

  it('round-trips odd names, views, empty and time-series collections, gzipped', async () => {
    const long = 'L'.repeat(300);
    const names = ['with space', 'a$b', 'a/b', 'ünïcödé ☃', long];
    const d = (i: number) => BSON.serialize({ _id: new Int32(i) });
    const entries = [
      ...names.map((n) => entry('odd', n, 'collection', meta(n))),
      entry('odd', 'empty', 'collection', meta('empty')),
      entry(
        'odd',
        'v',
        'view',
        buildCollectionMetadata({
          options: { viewOn: 'a$b', pipeline: [] },
          indexes: [],
          collectionName: 'v',
          collectionType: 'view',
        }),
      ),
      entry('odd', 'ts', 'timeseries', meta('ts', 'timeseries')),
    ];
    const bucket = { db: 'odd', collection: 'system.buckets.ts' };
    const events: DumpEvent[] = [
      prelude(entries, 2),
      doc({ db: 'odd', collection: names[0] as string }, d(1)),
      doc({ db: 'odd', collection: long }, d(2)),
      doc({ db: 'odd', collection: names[0] as string }, d(3)),
      end({ db: 'odd', collection: names[0] as string }),
      doc(bucket, d(4)),
      end(bucket),
      ...names.slice(1).map((n) => end({ db: 'odd', collection: n })),
      end({ db: 'odd', collection: 'empty' }),
      end({ db: 'odd', collection: 'v' }),
    ];
    const out = join(work, 'odd');
    const result = await writeDirectory(fromArray(events), out, { gzip: true });
    const files = readdirSync(join(out, 'odd')).sort();
    expect(files).toEqual(
      [
        'a%24b.bson.gz',
        'a%24b.metadata.json.gz',
        'a%2Fb.bson.gz',
        'a%2Fb.metadata.json.gz',
        `${collectionFileStem(long)}.bson.gz`,
        `${collectionFileStem(long)}.metadata.json.gz`,
        'empty.bson.gz',
        'empty.metadata.json.gz',
        'system.buckets.ts.bson.gz',
        'ts.metadata.json.gz',
        'v.metadata.json.gz',
        'with+space.bson.gz',
        'with+space.metadata.json.gz',
        '%C3%BCn%C3%AFc%C3%B6d%C3%A9+%E2%98%83.bson.gz',
        '%C3%BCn%C3%AFc%C3%B6d%C3%A9+%E2%98%83.metadata.json.gz',
      ].sort(),
    );
    expect(gunzipSync(readFileSync(join(out, 'odd', 'with+space.bson.gz')))).toEqual(
      Buffer.concat([d(1), d(3)]),
    );
    expect(gunzipSync(readFileSync(join(out, 'odd', 'empty.bson.gz')))).toHaveLength(0);
    expect(result.files).toHaveLength(files.length + 1); // + prelude.json.gz

    const back = await collect(readDirectory(out));
    const first = back[0] as Extract<DumpEvent, { type: 'prelude' }>;
    const byName = new Map(first.collections.map((c) => [c.namespace.collection, c]));
    for (const n of [...names, 'empty', 'v', 'ts']) expect(byName.has(n), n).toBe(true);
    expect(byName.get('v')?.collectionType).toBe('view');
    expect(byName.get('ts')?.collectionType).toBe('timeseries');
    expect(counts(back)).toEqual({ 'odd.with space': 2, [`odd.${long}`]: 1, 'odd.system.buckets.ts': 1 });
    const written = result.collections.find((c) => c.collection === 'with space');
    expect(written).toMatchObject({ documents: 2, bytes: d(1).length + d(3).length });
    expect(
      normalize(back.filter((e) => e.type === 'document' && e.namespace.collection === 'with space')),
    ).toEqual(
      normalize([
        doc({ db: 'odd', collection: 'with space' }, d(1)),
        doc({ db: 'odd', collection: 'with space' }, d(3)),
      ]),
    );
  });

  it('recovers names from file names when the metadata has no collectionName', async () => {
    const dir = join(work, 'legacy');
    mkdirSync(join(dir, 'db'), { recursive: true });
    writeFileSync(join(dir, 'db', 'with+space%2Fslash.bson'), BSON.serialize({ _id: 1 }));
    writeFileSync(join(dir, 'db', 'with+space%2Fslash.metadata.json'), '{"options":{},"indexes":[]}');
    writeFileSync(join(dir, 'db', 'nometa.bson'), Buffer.alloc(0));
    const events = await collect(readDirectory(dir));
    const first = events[0] as Extract<DumpEvent, { type: 'prelude' }>;
    expect(first.collections.map((c) => [c.namespace.collection, c.collectionType])).toEqual([
      ['nometa', 'collection'],
      ['with space/slash', 'collection'],
    ]);
  });

  it('refuses database names that would escape the dump folder', async () => {
    for (const db of ['..', 'a/b', 'a\\b']) {
      const error = await rejection(
        writeDirectory(
          fromArray([prelude([entry(db, 'c')]), end({ db, collection: 'c' })]),
          join(work, 'escape'),
        ),
      );
      expect(error.code).toBe('ARCHIVE_BAD_NAME');
    }
  });

  it('removes its temporary files when the stream fails midway', async () => {
    const out = join(work, 'failing');
    const ns = { db: 'f', collection: 'c' };
    async function* events(): AsyncGenerator<DumpEvent> {
      yield prelude([entry('f', 'c')]);
      yield doc(ns, BSON.serialize({ _id: 1 }));
      throw new Error('source died');
    }
    await expect(writeDirectory(events(), out)).rejects.toThrow('source died');
    expect(readdirSync(join(out, 'f'))).toEqual([]);
  });
});
