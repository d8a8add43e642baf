import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, EJSON, Int32, ObjectId, serialize, Timestamp } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionEntry, DumpEvent } from '../../../src/core/dump-event.js';
import { readDump, writeDump } from '../../../src/archive/index.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, TOOLS_ARCHIVES, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const OPLOG_ARCHIVE = join(TOOLS_ARCHIVES, 'dump-w-oplog.archive');
const KEY = { DBFORK_ANONYMIZATION_KEY: randomBytes(32).toString('base64') };
const OPLOG_NS = { db: '', collection: 'oplog' };
const dir = mkdtempSync(join(tmpdir(), 'dbfork-oplog-'));
const target = new MongoClient(servers.targetUri);
const targets: string[] = [];
const targetDb = (): string => {
  const db = `${uniqueDbName('oplog')}_pr_${targets.length + 1}`;
  targets.push(db);
  return db;
};
const rulesFile = (name: string, text: string): string => {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, text);
  return path;
};
const sorted = async (db: string, coll: string): Promise<unknown[]> =>
  (await target.db(db).collection(coll).find({}).sort({ _id: 1 }).toArray()).map((d) => EJSON.serialize(d));

/** The documents of the real archive's test.foo after its oplog, written out from its entries. */
function fooAfterReplay(): { _id: ObjectId; a: number }[] {
  // collection data: a = 1…25 with _ids 5bb4fd0f5a4e400df5a45946 + (a - 1) in both halves; the oplog
  // inserts a = 10…25 with the same _ids again (captured while the inserts ran), plus two entries
  // of config.system.sessions (skipped)
  return Array.from({ length: 25 }, (_, i) => ({
    _id: new ObjectId(
      (0x5bb4fd0f + i).toString(16) + '5a4e400df5a4' + (0x5946 + i).toString(16).padStart(4, '0'),
    ),
    a: i + 1,
  }));
}

async function writeArchive(
  path: string,
  collections: { entry: CollectionEntry; docs: readonly Record<string, unknown>[] }[],
): Promise<void> {
  async function* events(): AsyncGenerator<DumpEvent> {
    yield {
      type: 'prelude',
      serverVersion: '7.0.0',
      toolVersion: 't',
      concurrentCollections: 1,
      collections: collections.map((c) => c.entry),
    };
    for (const { entry, docs } of collections) {
      for (const doc of docs) yield { type: 'document', namespace: entry.namespace, bson: serialize(doc) };
      yield { type: 'end', namespace: entry.namespace };
    }
  }
  await writeDump(events(), path, { format: 'archive', gzip: false });
}

async function oplogEntries(path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const e of readDump(path))
    if (e.type === 'document' && e.namespace.db === '') out.push(deserialize(e.bson));
  return out;
}

beforeAll(async () => {
  await target.connect();
});
afterAll(async () => {
  for (const db of targets) await target.db(db).dropDatabase();
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('restore --oplog-replay (ordinary writes, real on FerretDB)', () => {
  it('the real dump-w-oplog.archive replays to the documents its entries describe; retried, the same', async () => {
    const db = targetDb();
    const args = ['--json', 'restore', '--in', OPLOG_ARCHIVE, '--to', servers.targetUri, '--db', db];
    const res = await runCli([...args, '--no-anonymize', '--oplog-replay']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('16 inserted, 0 updated, 0 deleted, 2 skipped');
    const expected = fooAfterReplay().map((d) => EJSON.serialize(d));
    expect(await sorted(db, 'foo')).toEqual(expected);
    const again = await runCli([...args, '--no-anonymize', '--oplog-replay']);
    expect(again.code, again.stderr).toBe(0);
    expect(await sorted(db, 'foo')).toEqual(expected);
    const meta = await target
      .db(db)
      .collection('snapshot_metadata')
      .findOne({ _id: 'latest' as never });
    expect(meta?.collections).toEqual([expect.objectContaining({ name: 'foo', documents: 25 })]);
    expect(meta?.consistency).toEqual({
      mode: 'oplog',
      member: null,
      replayedTo: 'Timestamp(1538587943, 1)',
    });
  });

  it('updates, $v: 2 diffs, deletes and applyOps are applied; system namespaces skipped', async () => {
    const path = join(dir, 'generated.archive');
    const ns = { db: 'crm', collection: 'people' };
    const ts = (i: number): Timestamp => new Timestamp({ t: 1700000000 + i, i: 1 });
    await writeArchive(path, [
      {
        entry: { namespace: ns, collectionType: 'collection', metadataJson: '' },
        docs: [
          { _id: 1, name: 'a', tags: ['x', 'y', 'z'], address: { city: 'c', zip: '1' } },
          { _id: 2, name: 'b' },
          { _id: 3, name: 'gone' },
        ],
      },
      {
        entry: { namespace: OPLOG_NS, collectionType: '', metadataJson: '' },
        docs: [
          { ts: ts(1), op: 'i', ns: 'crm.people', o: { _id: 4, name: 'd' } },
          {
            ts: ts(2),
            op: 'u',
            ns: 'crm.people',
            o2: { _id: 2 },
            o: { $v: 1, $set: { name: 'b2' }, $unset: { x: true } },
          },
          {
            ts: ts(3),
            op: 'u',
            ns: 'crm.people',
            o2: { _id: 1 },
            o: {
              $v: new Int32(2),
              diff: {
                u: { name: 'a2' },
                i: { n: 1 },
                saddress: { d: { zip: false } },
                stags: { a: true, l: 2, u1: 'Y' },
              },
            },
          },
          { ts: ts(4), op: 'd', ns: 'crm.people', o: { _id: 3 } },
          {
            ts: ts(5),
            op: 'c',
            ns: 'admin.$cmd',
            o: { applyOps: [{ op: 'u', ns: 'crm.people', o2: { _id: 4 }, o: { _id: 4, name: 'd2' } }] },
          },
          { ts: ts(6), op: 'i', ns: 'config.system.sessions', o: { _id: 'session' } },
          { ts: ts(7), op: 'n', ns: '', o: { msg: 'periodic noop' } },
        ],
      },
    ]);
    const db = targetDb();
    const res = await runCli([
      'restore',
      '--in',
      path,
      '--to',
      servers.targetUri,
      '--db',
      db,
      '--no-anonymize',
      '--oplog-replay',
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(await sorted(db, 'people')).toEqual([
      { _id: 1, name: 'a2', tags: ['x', 'Y'], address: { city: 'c' }, n: 1 },
      { _id: 2, name: 'b2' },
      { _id: 4, name: 'd2' },
    ]);
  });
});

describe('an anonymized oplog (rules on its namespaces)', () => {
  const fooRules = rulesFile(
    'foo',
    'rules:\n  foo:\n    fields:\n      _id: { transform: pseudonymous_id }\n      a: { transform: hash, length: 12 }\n',
  );

  it('anonymize of dump-w-oplog.archive rewrites its oplog: no original value remains, scan --strict is clean', async () => {
    const out = join(dir, 'foo-anonymized.archive');
    const res = await runCli(['anonymize', '--in', OPLOG_ARCHIVE, '--out', out, '--rules', fooRules], {
      env: KEY,
    });
    expect(res.code, res.stderr).toBe(0);
    const originalIds = new Set(fooAfterReplay().map((d) => d._id.toHexString()));
    const entries = await oplogEntries(out);
    expect(entries).toHaveLength(18); // the sessions entries became no-ops at their optimes
    const inserts = entries.filter((e) => e.op === 'i');
    expect(inserts).toHaveLength(16);
    for (const e of inserts) {
      const o = e.o as { _id: ObjectId; a: unknown };
      expect(originalIds.has(o._id.toHexString())).toBe(false);
      expect(typeof o.a).toBe('string');
    }
    expect(JSON.stringify(entries.map((e) => EJSON.serialize(e)))).not.toContain('system.sessions');
    const scan = await runCli(['scan', '--in', out, '--rules', fooRules, '--strict']);
    expect(scan.code, scan.stdout + scan.stderr).toBe(0);
    // the oplog's inserts name the same pseudonyms as the collection's documents
    const db = targetDb();
    const restored = await runCli([
      'restore',
      '--in',
      out,
      '--to',
      servers.targetUri,
      '--db',
      db,
      '--oplog-replay',
      '--no-anonymize',
    ]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(await target.db(db).collection('foo').countDocuments()).toBe(25);
  });

  it('restore --rules --oplog-replay of the raw archive gives the same documents as anonymize then restore', async () => {
    const out = join(dir, 'foo-anon-2.archive');
    expect(
      (await runCli(['anonymize', '--in', OPLOG_ARCHIVE, '--out', out, '--rules', fooRules], { env: KEY }))
        .code,
    ).toBe(0);
    const [a, b] = [targetDb(), targetDb()];
    const viaRules = await runCli(
      [
        'restore',
        '--in',
        OPLOG_ARCHIVE,
        '--to',
        servers.targetUri,
        '--db',
        a,
        '--rules',
        fooRules,
        '--oplog-replay',
      ],
      { env: KEY },
    );
    expect(viaRules.code, viaRules.stderr).toBe(0);
    const viaFile = await runCli([
      'restore',
      '--in',
      out,
      '--to',
      servers.targetUri,
      '--db',
      b,
      '--no-anonymize',
      '--oplog-replay',
    ]);
    expect(viaFile.code, viaFile.stderr).toBe(0);
    const docs = await sorted(a, 'foo');
    expect(docs).toHaveLength(25);
    expect(docs).toEqual(await sorted(b, 'foo'));
  });
});
