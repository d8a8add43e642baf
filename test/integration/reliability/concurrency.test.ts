import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordScenario } from '../../helpers/reliability-record.js';
import { runCli, runCliWithCrash, type CliResult } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';
import { Toxiproxy, type FaultProxy } from '../../helpers/toxiproxy.js';
import { eventsOf, runCliWatching } from '../../helpers/watch-cli.js';
import { size, TIMEOUT } from './reliability-sizes.js';
import { collectionState, oldOrNew, type CollectionState } from './target-state.js';

const servers = testServers();
const DOCS = size(600, 4000);
const COLLECTIONS = ['a', 'b', 'c'];
const ROUNDS = size(1, 6);

interface Row {
  id: string;
  status: string;
  latest: boolean;
}

describe(
  'concurrent runs: two restores into one db, two creates of one name, prune during a restore',
  { timeout: TIMEOUT },
  () => {
    const dbOld = uniqueDbName('rel_conc_old');
    const dbNew = uniqueDbName('rel_conc_new');
    const dir = mkdtempSync(join(tmpdir(), 'dbfork-rel-conc-'));
    const store = join(dir, 'store');
    const source = new MongoClient(servers.sourceUri);
    const target = new MongoClient(servers.targetUri);
    const toxiproxy = new Toxiproxy();
    let proxy: FaultProxy;
    const ids: Record<'old' | 'new', string> = { old: '', new: '' };

    const create = (db: string, name = 'prod'): string[] => [
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      db,
      '--name',
      name,
      '--store',
      store,
      '--no-anonymize',
    ];
    const restore = (ref: string, db: string, uri = servers.targetUri): string[] => [
      'restore',
      '--snapshot',
      ref,
      '--store',
      store,
      '--to',
      uri,
      '--db',
      db,
      '--insert-workers',
      '2',
      '--no-anonymize',
    ];
    const list = async (name: string): Promise<Row[]> => {
      const res = await runCli(['--json', 'snapshot', 'list', '--name', name, '--store', store]);
      expect(res.code, res.stderr).toBe(0);
      return JSON.parse(res.stdout.trim()).result as Row[];
    };
    const idOf = (res: CliResult): string => (eventsOf(res.stdout).at(-1)?.result as { id: string }).id;
    const states = (db: string): Promise<CollectionState[]> =>
      Promise.all(COLLECTIONS.map((c) => collectionState(target, db, c, DOCS, DOCS + 1)));
    /** Which snapshot the data is from (by marker), and what snapshot_metadata claims. */
    const whose = async (db: string): Promise<{ data: string[]; claimed: string | null }> => {
      const data = await Promise.all(
        COLLECTIONS.map(async (c) => {
          const markers = await target.db(db).collection(c).distinct('marker');
          return markers.length === 1 ? String(markers[0]) : `mixed(${markers.join(',')})`;
        }),
      );
      const meta = await target
        .db(db)
        .collection('snapshot_metadata')
        .findOne({ _id: 'latest' as never });
      return { data, claimed: (meta?.snapshotId as string | undefined) ?? null };
    };

    beforeAll(async () => {
      await toxiproxy.start();
      proxy = await toxiproxy.proxy(servers.targetUri);
      for (const [db, marker, n] of [
        [dbOld, 'old', DOCS],
        [dbNew, 'new', DOCS + 1],
      ] as const) {
        for (const c of COLLECTIONS) {
          await source
            .db(db)
            .collection(c)
            .insertMany(Array.from({ length: n }, (_, i) => ({ i, marker, pad: 'x'.repeat(150) })));
        }
      }
      const o = await runCli(['--json', ...create(dbOld)]);
      expect(o.code, o.stderr).toBe(0);
      ids.old = idOf(o);
      const n = await runCli(['--json', ...create(dbNew)]);
      expect(n.code, n.stderr).toBe(0);
      ids.new = idOf(n);
    });
    afterAll(async () => {
      await toxiproxy.stop();
      await source.db(dbOld).dropDatabase();
      await source.db(dbNew).dropDatabase();
      await source.close();
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`two restores into the same db at once (${ROUNDS} rounds, through a slow proxy): one wins, never interleaved, snapshot_metadata names the data`, async () => {
      const db = `${uniqueDbName('rel_conc_two')}_pr_1`;
      await proxy.add({ type: 'latency', attributes: { latency: 30, jitter: 10 } });
      let correct = 0;
      const outcomes: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const [a, b] = await Promise.all([
          runCli(['--json', ...restore(`prod@${ids.old}`, db, proxy.uri)]),
          runCli(['--json', ...restore(`prod@${ids.new}`, db, proxy.uri)]),
        ]);
        const codes = [a.code, b.code];
        for (const res of [a, b]) {
          if (res.code !== 0) {
            expect(res.code, res.stderr).toBe(7);
            expect(
              (eventsOf(res.stdout).find((e) => e.type === 'error')?.error as { code: string }).code,
            ).toBe('TARGET_BUSY');
          }
        }
        const { data, claimed } = await whose(db);
        if (codes.some((c) => c === 0)) {
          expect(new Set(data).size, data.join(',')).toBe(1);
          expect(oldOrNew(await states(db))).toBe(true);
          expect(claimed).toBe(`prod@${data[0] === 'old' ? ids.old : ids.new}`);
        }
        outcomes.push(codes.join('/'));
        correct++;
      }
      await proxy.clear();
      await target.db(db).dropDatabase();
      recordScenario({
        group: 'concurrency',
        scenario: 'two restores into one target db at once (through a 30 ms proxy)',
        runs: ROUNDS,
        survived: correct,
        nothingLost: correct === ROUNDS,
        detail: `exit codes per round ${outcomes.join(', ')} (7 = TARGET_BUSY); never interleaved; snapshot_metadata names the data`,
      });
    });

    it('a killed holder is taken over at once on its host, a remote holder only after its heartbeat expires', async () => {
      const db = `${uniqueDbName('rel_conc_kill')}_pr_1`;
      const base = await runCli(restore(`prod@${ids.old}`, db));
      expect(base.code, base.stderr).toBe(0);
      const killed = await runCliWithCrash(restore(`prod@${ids.new}`, db), 'restore:temps-created');
      expect(killed.signal).toBe('SIGKILL');
      const journal = target.db(db).collection('__dbfork_restore_journal');
      expect(await journal.countDocuments()).toBe(1);
      expect((await whose(db)).data).toEqual(COLLECTIONS.map(() => 'old'));
      const takeover = await runCli(restore(`prod@${ids.new}`, db));
      expect(takeover.code, takeover.stderr).toBe(0);
      expect(await whose(db)).toEqual({ data: COLLECTIONS.map(() => 'new'), claimed: `prod@${ids.new}` });

      // a holder on another host: its pid cannot be checked, only its heartbeat (10 s period, 6 missed)
      const holder = {
        _id: 'feedbeef',
        phase: 'loading',
        owner: { host: `not-${hostname()}`, pid: 1 },
        startedAt: new Date(),
        heartbeatAt: new Date(),
        collections: [],
        metadata: null,
      };
      await journal.insertOne(holder as never);
      const busy = await runCli(['--json', ...restore(`prod@${ids.old}`, db)]);
      expect(busy.code, busy.stderr).toBe(7);
      expect(busy.stdout).toContain('TARGET_BUSY');
      expect((await whose(db)).claimed).toBe(`prod@${ids.new}`);
      await journal.updateOne(
        { _id: 'feedbeef' as never },
        { $set: { heartbeatAt: new Date(Date.now() - 61_000) } },
      );
      const expired = await runCli(restore(`prod@${ids.old}`, db));
      expect(expired.code, expired.stderr).toBe(0);
      expect(await journal.countDocuments()).toBe(0);
      expect(await whose(db)).toEqual({ data: COLLECTIONS.map(() => 'old'), claimed: `prod@${ids.old}` });
      await target.db(db).dropDatabase();
      recordScenario({
        group: 'concurrency',
        scenario: 'restore after a killed holder (same host) and a stale remote lease',
        runs: 3,
        survived: 3,
        nothingLost: true,
        detail: 'dead pid taken over at once; fresh remote lease → TARGET_BUSY; expired (61 s) → taken over',
      });
    });

    it('two snapshot creates of the same name at once both complete with distinct ids; latest is the newer', async () => {
      let correct = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const name = `twin${round}`;
        const [a, b] = await Promise.all([
          runCli(['--json', ...create(dbOld, name)]),
          runCli(['--json', ...create(dbNew, name)]),
        ]);
        expect(a.code, a.stderr).toBe(0);
        expect(b.code, b.stderr).toBe(0);
        const [idA, idB] = [idOf(a), idOf(b)];
        expect(idA).not.toBe(idB);
        const rows = await list(name);
        expect(
          rows
            .filter((r) => r.status === 'complete')
            .map((r) => r.id)
            .sort(),
        ).toEqual([idA, idB].sort());
        // ids start with their UTC creation time: the newer sorts last
        expect(rows.find((r) => r.latest)?.id).toBe([idA, idB].sort().at(-1));
        correct++;
      }
      recordScenario({
        group: 'concurrency',
        scenario: 'two snapshot creates of one name into one store at once',
        runs: ROUNDS,
        survived: correct,
        nothingLost: correct === ROUNDS,
        detail: 'both complete, distinct ids, latest = the newer',
      });
    });

    it('a prune deleting the snapshot a restore is reading: the restore completes in full or fails cleanly', async () => {
      const db = `${uniqueDbName('rel_conc_prune')}_pr_1`;
      let correct = 0;
      const outcomes: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const name = `pruned${round}`;
        const first = await runCli(['--json', ...create(dbOld, name)]);
        expect(first.code, first.stderr).toBe(0);
        const doomed = idOf(first);
        expect((await runCli(create(dbNew, name))).code).toBe(0);
        const base = await runCli(restore(`prod@${ids.new}`, db));
        expect(base.code, base.stderr).toBe(0);
        // slow the restore's writes so the prune lands while it reads
        await proxy.add({ type: 'bandwidth', stream: 'upstream', attributes: { rate: 100 } });
        let pruned: Promise<CliResult> | undefined;
        const run = runCliWatching(restore(`${name}@${doomed}`, db, proxy.uri), (event) => {
          if (!pruned && event.type === (round % 2 === 0 ? 'collection-start' : 'collection-progress')) {
            pruned = runCli(['snapshot', 'prune', '--name', name, '--keep-last', '1', '--store', store]);
          }
        });
        const res = await run.done;
        await proxy.clear();
        expect(pruned).toBeDefined();
        expect((await pruned!).code).toBe(0);
        const after = await whose(db);
        if (res.code === 0) {
          expect(after.data).toEqual(COLLECTIONS.map(() => 'old'));
          expect(oldOrNew(await states(db))).toBe(true);
          expect(after.claimed).toBe(`${name}@${doomed}`);
        } else {
          expect([6, 7]).toContain(res.code);
          expect(after).toEqual({ data: COLLECTIONS.map(() => 'new'), claimed: `prod@${ids.new}` });
        }
        outcomes.push(res.code === 0 ? 'completed' : `exit ${res.code}`);
        correct++;
      }
      await target.db(db).dropDatabase();
      recordScenario({
        group: 'concurrency',
        scenario: 'prune deletes the snapshot a restore is reading',
        runs: ROUNDS,
        survived: correct,
        nothingLost: correct === ROUNDS,
        detail: `restore ${outcomes.join(', ')}; never a partial target`,
      });
    });
  },
);
