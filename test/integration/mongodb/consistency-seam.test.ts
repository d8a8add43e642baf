import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize, Timestamp, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDump } from '../../../src/archive/index.js';
import type { DumpEvent } from '../../../src/core/dump-event.js';
import { losslessCommandRunner, type CommandRunner } from '../../../src/mongodb/command-runner.js';
import { captureDatabase } from '../../../src/mongodb/capture.js';
import { MongoDbSource } from '../../../src/mongodb/mongodb-source.js';
import { consistencySupport } from '../../../src/mongodb/consistency-support.js';
import { describeTopology } from '../../../src/mongodb/describe-topology.js';
import { createSnapshot } from '../../../src/pipeline/create-snapshot.js';
import { FsObjectStore } from '../../../src/store/fs/fs-object-store.js';
import { ObjectSnapshotCatalog } from '../../../src/store/object-snapshot-catalog.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, TOOLS_ARCHIVES, uniqueDbName } from '../../helpers/servers.js';

/**
 * FerretDB has no replica set, oplog or snapshot reads: these tests answer `hello`, `getParameter`,
 * `replSetGetStatus` and `local.oplog.rs` at the capture's command seam as a replica set's
 * secondary would, record every command, and forward the collection reads (without their read
 * concern) to the real FerretDB, so the documents are real.
 */
const servers = testServers();
const source = new MongoClient(servers.sourceUri);
const target = new MongoClient(servers.targetUri);
const db = uniqueDbName('pitc');
const dir = mkdtempSync(join(tmpdir(), 'dbfork-consistency-'));
const T = new Timestamp({ t: 1800000000, i: 7 });
const MEMBER = 'db-2.prod.internal:27017';
const targets: string[] = [];

interface Recorded {
  readonly db: string;
  readonly command: Document;
}

interface SeamOptions {
  readonly tooOldAt?: string;
  readonly dataSize?: number;
  readonly lagMs?: number;
  readonly oplog?: readonly Document[];
  /** Index in `oplog` of the newest entry when the capture starts. */
  readonly startAt?: number;
}

/** A recording command runner answering as a replica set secondary (see the file's comment). */
function seam(options: SeamOptions = {}): { run: CommandRunner; recorded: Recorded[] } {
  const real = losslessCommandRunner(source);
  const recorded: Recorded[] = [];
  let latestCalls = 0;
  const oplog = options.oplog ?? [];
  const run: CommandRunner = async (database, command) => {
    recorded.push({ db: database, command: structuredClone(command) });
    if ('hello' in command)
      return {
        setName: 'rs0',
        secondary: true,
        isWritablePrimary: false,
        me: MEMBER,
        operationTime: T,
        ok: 1,
      };
    if ('replSetGetConfig' in command) throw Object.assign(new Error('not authorized'), { code: 13 });
    if ('getParameter' in command) return { minSnapshotHistoryWindowInSeconds: 300, ok: 1 };
    if ('dbStats' in command) return { dataSize: options.dataSize ?? 1000, ok: 1 };
    if ('replSetGetStatus' in command) {
      const now = Date.now();
      return {
        members: [
          { name: 'db-1:27017', stateStr: 'PRIMARY', optimeDate: new Date(now) },
          {
            name: MEMBER,
            stateStr: 'SECONDARY',
            self: true,
            optimeDate: new Date(now - (options.lagMs ?? 0)),
          },
        ],
        ok: 1,
      };
    }
    if (database === 'local' && command.find === 'oplog.rs')
      return oplogReply(command, oplog, () => latestCalls++, options.startAt ?? 0);
    if (typeof command.find === 'string') {
      if (options.tooOldAt === command.find)
        throw Object.assign(new Error('Read timestamp is older than the oldest available timestamp'), {
          code: 239,
          codeName: 'SnapshotTooOld',
        });
      const { readConcern: _readConcern, ...forwarded } = command;
      return real(database, forwarded);
    }
    return real(database, command);
  };
  return { run, recorded };
}

/** Answers the capture's three kinds of oplog reads: newest entry, oldest entry, and the range. */
function oplogReply(
  command: Document,
  oplog: readonly Document[],
  latestCall: () => number,
  startAt: number,
): Document {
  const batch = (docs: readonly Document[]): Document => ({
    cursor: { id: 0, firstBatch: docs, ns: 'local.oplog.rs' },
    ok: 1,
  });
  const sort = command.sort as Document | undefined;
  if (sort?.$natural === -1) return batch([latestCall() === 0 ? oplog[startAt]! : oplog.at(-1)!]);
  if (sort?.$natural === 1) return batch([oplog[0]!]);
  const range = (command.filter as { ts: { $gt: Timestamp; $lte: Timestamp } }).ts;
  return batch(oplog.filter((e) => (e.ts as Timestamp).gt(range.$gt) && (e.ts as Timestamp).lte(range.$lte)));
}

async function drain(events: AsyncIterable<DumpEvent>): Promise<DumpEvent[]> {
  const out: DumpEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

const finds = (recorded: Recorded[]): Document[] =>
  recorded.filter((r) => typeof r.command.find === 'string' && r.db === db).map((r) => r.command);

beforeAll(async () => {
  await Promise.all([source.connect(), target.connect()]);
  for (const name of ['customers', 'orders', 'people'])
    await source
      .db(db)
      .collection<{ _id: number }>(name)
      .insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: i, name: `${name}-${i}` })));
});
afterAll(async () => {
  await source.db(db).dropDatabase();
  for (const t of targets) await target.db(t).dropDatabase();
  await Promise.all([source.close(), target.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('snapshot reads (seam: a recording command runner answering as a replica set)', () => {
  it('every collection read carries readConcern snapshot at the same atClusterTime; getMore none', async () => {
    const { run, recorded } = seam();
    const capture = await captureDatabase(source, { db, consistency: 'snapshot', batchSize: 2 }, run);
    const events = await drain(capture.events);
    const reads = finds(recorded);
    expect(reads.map((f) => f.find).sort()).toEqual(['customers', 'orders', 'people']);
    for (const f of reads) {
      expect(f.readConcern).toEqual({ level: 'snapshot', atClusterTime: T });
      expect(f.sort).toEqual({ _id: 1 });
    }
    const getMores = recorded.filter((r) => r.command.getMore !== undefined);
    expect(getMores.length).toBeGreaterThan(0); // 5 documents in batches of 2
    for (const g of getMores) expect(g.command).not.toHaveProperty('readConcern');
    expect(events.filter((e) => e.type === 'document')).toHaveLength(15);
    const first = events.find((e) => e.type === 'document' && e.namespace.collection === 'people');
    expect(first?.type === 'document' && deserialize(first.bson)).toEqual({ _id: 0, name: 'people-0' });
    expect(capture.consistency?.()).toEqual({
      mode: 'snapshot',
      member: MEMBER,
      atClusterTime: 'Timestamp(1800000000, 7)',
    });
  });

  it('auto: snapshot reads when the capture fits the 300 s window, else the oplog', async () => {
    const small = seam({ dataSize: 100 * 1024 * 1024 });
    const fits = await captureDatabase(source, { db, consistency: 'auto' }, small.run);
    expect(fits.consistency?.().mode).toBe('snapshot');
    await drain(fits.events);
    const oplog = [{ ts: new Timestamp({ t: 1, i: 1 }), op: 'n', ns: '', o: { msg: 'x' } }];
    const large = seam({ dataSize: 10 * 1024 * 1024 * 1024, oplog });
    const long = await captureDatabase(source, { db, consistency: 'auto' }, large.run);
    expect(long.consistency?.().mode).toBe('oplog');
    await drain(long.events);
  });

  it('SnapshotTooOld mid-capture: a clear error naming oplog mode, and no snapshot complete', async () => {
    const { run } = seam({ tooOldAt: 'orders' });
    const store = new ObjectSnapshotCatalog(new FsObjectStore(join(dir, 'too-old')));
    const failed = createSnapshot({
      uri: servers.sourceUri,
      db,
      name: 'too-old',
      store,
      format: 'archive',
      gzip: false,
      consistency: 'snapshot',
      parallelCollections: 1,
      openSource: () => Promise.resolve(new MongoDbSource(source, false, run)),
    });
    await expect(failed).rejects.toMatchObject({
      code: 'SOURCE_SNAPSHOT_TOO_OLD',
      hint: expect.stringContaining('--consistency oplog') as unknown,
    });
    expect(await store.latest('too-old')).toBeNull();
    expect(await store.list('too-old')).toEqual([]);
  });

  it('--max-lag refuses a member whose lag exceeds it, with the lag in the message', async () => {
    const { run } = seam({ lagMs: 45_000 });
    await expect(
      captureDatabase(source, { db, consistency: 'snapshot', maxLagMs: 30_000 }, run),
    ).rejects.toMatchObject({
      code: 'SOURCE_LAGGING',
      message: expect.stringContaining('45.0 s') as unknown,
    });
    const within = await captureDatabase(
      source,
      { db, consistency: 'snapshot', maxLagMs: 60_000 },
      seam({ lagMs: 45_000 }).run,
    );
    await drain(within.events);
  });
});

describe('oplog mode (seam: local.oplog.rs fed with the real dump-w-oplog.archive entries plus generated ones)', () => {
  it('start optime, collections, then the entries after it up to the end optime, laid out as mongodump does; replay', async () => {
    const real: Document[] = [];
    for await (const e of readDump(join(TOOLS_ARCHIVES, 'dump-w-oplog.archive')))
      if (e.type === 'document' && e.namespace.db === '')
        real.push(deserialize(e.bson, { promoteValues: false }));
    const ts = (i: number): Timestamp => new Timestamp({ t: 1538588000 + i, i: 1 });
    const generated = [
      { ts: ts(1), op: 'i', ns: `${db}.people`, o: { _id: 10, name: 'new' } },
      { ts: ts(2), op: 'u', ns: `${db}.people`, o2: { _id: 1 }, o: { $v: 1, $set: { name: 'set' } } },
      {
        ts: ts(3),
        op: 'u',
        ns: `${db}.people`,
        o2: { _id: 2 },
        o: { $v: 2, diff: { u: { name: 'diffed' } } },
      },
      { ts: ts(4), op: 'd', ns: `${db}.people`, o: { _id: 3 } },
    ];
    const oplog = [...real, ...generated];
    const { run, recorded } = seam({ oplog, startAt: 5 });
    const store = new ObjectSnapshotCatalog(new FsObjectStore(join(dir, 'oplog-store')));
    const manifest = await createSnapshot({
      uri: servers.sourceUri,
      db,
      name: 'pitc',
      store,
      format: 'archive',
      gzip: false,
      consistency: 'oplog',
      openSource: () => Promise.resolve(new MongoDbSource(source, false, run)),
    });
    expect(manifest.consistency).toEqual({
      mode: 'oplog',
      member: MEMBER,
      startOptime: 'Timestamp(1538587931, 1)',
      endOptime: 'Timestamp(1538588004, 1)',
    });
    for (const f of finds(recorded)) expect(f).not.toHaveProperty('readConcern');
    // the stored archive: the oplog namespace as in dump-w-oplog.archive, entries after start, byte-equal
    const resolved = await store.resolve({ name: 'pitc', id: 'latest' });
    expect(resolved.manifest.collections.map((c) => c.namespace)).toContain('.oplog');
    const archive = readdirSync(join(dir, 'oplog-store'), { recursive: true, encoding: 'utf8' }).find((f) =>
      f.endsWith(resolved.manifest.dataPath),
    );
    const entries: Uint8Array[] = [];
    for await (const e of readDump(join(dir, 'oplog-store', archive!)))
      if (e.type === 'document' && e.namespace.db === '') entries.push(e.bson);
    expect(entries.map((b) => Buffer.from(b).toString('hex'))).toEqual(
      oplog.slice(6).map((d) => Buffer.from(serialize(d)).toString('hex')),
    );
    const restoreDb = `${uniqueDbName('pitc')}_pr_1`;
    targets.push(restoreDb);
    const restored = await runCli([
      'restore',
      '--snapshot',
      'pitc@latest',
      '--store',
      join(dir, 'oplog-store'),
      '--to',
      servers.targetUri,
      '--db',
      restoreDb,
      '--no-anonymize',
      '--oplog-replay',
    ]);
    expect(restored.code, restored.stderr).toBe(0);
    const meta = await target.db(restoreDb).collection('snapshot_metadata').findOne({});
    expect(meta?.consistency).toEqual({
      mode: 'oplog',
      member: MEMBER,
      startOptime: 'Timestamp(1538587931, 1)',
      endOptime: 'Timestamp(1538588004, 1)',
      replayedTo: 'Timestamp(1538588004, 1)',
    });
    const people = await target.db(restoreDb).collection('people').find({}).sort({ _id: 1 }).toArray();
    expect(people).toEqual([
      { _id: 0, name: 'people-0' },
      { _id: 1, name: 'set' },
      { _id: 2, name: 'diffed' },
      { _id: 4, name: 'people-4' },
      { _id: 10, name: 'new' },
    ]);
  });
});

describe('doctor: supported modes and the read member lag (what runDoctor reports as consistency)', () => {
  it('a replica set secondary (seam): snapshot, oplog, none, with its lag; the real FerretDB: none', async () => {
    const { run } = seam({ lagMs: 12_500 });
    const report = await consistencySupport(run, await describeTopology(run), '7.0.0');
    expect(report).toEqual({
      modes: ['snapshot', 'oplog', 'none'],
      historyWindowS: 300,
      replicationLagMs: 12_500,
    });
    const real = losslessCommandRunner(source);
    const ferret = await consistencySupport(real, await describeTopology(real), '7.0.0');
    expect(ferret).toEqual({ modes: ['none'], historyWindowS: null, replicationLagMs: null });
  });
});
