import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordScenario } from '../../helpers/reliability-record.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';
import { Toxiproxy, type FaultProxy } from '../../helpers/toxiproxy.js';
import { eventsOf, runCliWatching } from '../../helpers/watch-cli.js';
import { size, TIMEOUT } from './reliability-sizes.js';

const servers = testServers();
const DOCS = size(1500, 20_000);
const COLLECTIONS = ['a', 'b', 'c'];
// bytes the proxy lets through on each connection before it cuts it (past the handshake and listings)
const OFFSETS = size([150_000], [20_000, 60_000, 350_000, 1_500_000, 4_000_000]);

describe(
  'snapshot create through a fault-injection proxy (Toxiproxy) in front of the source',
  { timeout: TIMEOUT },
  () => {
    const db = uniqueDbName('rel_cap');
    const dir = mkdtempSync(join(tmpdir(), 'dbfork-rel-cap-'));
    const store = join(dir, 'store');
    const source = new MongoClient(servers.sourceUri);
    const target = new MongoClient(servers.targetUri);
    const toxiproxy = new Toxiproxy();
    let proxy: FaultProxy;
    const createArgs = (): string[] => [
      'snapshot',
      'create',
      '--uri',
      proxy.uri,
      '--db',
      db,
      '--name',
      'prod',
      '--store',
      store,
      '--no-anonymize',
    ];
    const latestId = async (): Promise<string | undefined> => {
      const res = await runCli(['--json', 'snapshot', 'list', '--name', 'prod', '--store', store]);
      expect(res.code, res.stderr).toBe(0);
      const rows = JSON.parse(res.stdout.trim()).result as { id: string; latest: boolean }[];
      return rows.find((r) => r.latest)?.id;
    };

    beforeAll(async () => {
      await toxiproxy.start();
      proxy = await toxiproxy.proxy(servers.sourceUri);
      for (const coll of COLLECTIONS) {
        await source
          .db(db)
          .collection<{ _id: number }>(coll)
          .insertMany(Array.from({ length: DOCS }, (_, i) => ({ _id: i, coll, pad: 'x'.repeat(200) })));
      }
    });
    afterAll(async () => {
      await toxiproxy.stop();
      await source.db(db).dropDatabase();
      await source.close();
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`a connection cut at ${OFFSETS.length} byte offsets resumes after the last _id read: every document exactly once`, async () => {
      let survived = 0;
      const details: string[] = [];
      for (const bytes of OFFSETS) {
        await proxy.clear();
        const toxic = await proxy.add({ type: 'limit_data', attributes: { bytes } });
        let removed = false;
        const run = runCliWatching(createArgs(), async (event) => {
          // the fault happened once: let the resumed read through
          if (event.type === 'retry' && !removed) {
            removed = true;
            await proxy.remove(toxic);
          }
        });
        const res = await run.done;
        expect(
          res.code,
          `${bytes}: ${res.stderr} ${JSON.stringify(eventsOf(res.stdout).filter((e) => e.type === 'retry'))}`,
        ).toBe(0);
        const retries = eventsOf(res.stdout).filter((e) => e.type === 'retry');
        expect(retries.length, `cut at ${bytes} bytes must be seen`).toBeGreaterThan(0);
        const id = (eventsOf(res.stdout).at(-1)?.result as { id: string }).id;

        // exactly once: the restore inserts by _id (a duplicate would fail it), then every _id is there
        const restored = `${uniqueDbName('rel_cap_out')}_pr_1`;
        const restore = await runCli([
          'restore',
          '--snapshot',
          `prod@${id}`,
          '--store',
          store,
          '--to',
          servers.targetUri,
          '--db',
          restored,
          '--no-anonymize',
        ]);
        expect(restore.code, restore.stderr).toBe(0);
        for (const coll of COLLECTIONS) {
          const c = target.db(restored).collection(coll);
          expect(await c.countDocuments(), `${bytes} ${coll}`).toBe(DOCS);
          expect((await c.distinct('_id')).length, `${bytes} ${coll}`).toBe(DOCS);
        }
        await target.db(restored).dropDatabase();
        expect(await latestId()).toBe(id);
        details.push(`${bytes} B: ${retries.length} retries`);
        survived++;
      }
      recordScenario({
        group: 'network',
        scenario: 'capture: connection cut at a byte offset (resume after last _id)',
        runs: OFFSETS.length,
        survived,
        nothingLost: survived === OFFSETS.length,
        detail: `every document exactly once; ${details.join(', ')}`,
      });
    });

    it('with 200 ms latency and a bandwidth cap on the source link, the capture completes and progress keeps moving', async () => {
      await proxy.clear();
      await proxy.add({ type: 'latency', attributes: { latency: 200, jitter: 20 } });
      await proxy.add({ type: 'bandwidth', attributes: { rate: 300 } });
      const stamps: number[] = [];
      const started = Date.now();
      const run = runCliWatching(createArgs(), (event) => {
        if (event.type === 'collection-progress' || event.type === 'collection-done') stamps.push(Date.now());
      });
      const res = await run.done;
      await proxy.clear();
      expect(res.code, res.stderr).toBe(0);
      const gaps = stamps.slice(1).map((t, i) => t - stamps[i]!);
      const longest = Math.max(0, ...gaps);
      expect(stamps.length).toBeGreaterThan(3);
      expect(longest).toBeLessThan(5000);
      recordScenario({
        group: 'network',
        scenario: 'capture: 200 ms latency and a 300 KB/s cap on the source link',
        runs: 1,
        survived: 1,
        nothingLost: true,
        detail: `completed in ${((Date.now() - started) / 1000).toFixed(1)} s; ${stamps.length} progress events, longest gap ${(longest / 1000).toFixed(1)} s`,
      });
    });

    it('a stalled source ends in a clear timeout error within the configured timeouts, latest unchanged', async () => {
      await proxy.clear();
      const baseline = await runCli(createArgs());
      expect(baseline.code, baseline.stderr).toBe(0);
      const before = await latestId();
      expect(before).toBeDefined();
      // slow enough that the capture is still reading when the stall begins
      await proxy.add({ type: 'bandwidth', attributes: { rate: 1000 } });
      let stalled = false;
      let started = 0;
      const run = runCliWatching(
        ['--socket-timeout', '1s', '--server-selection-timeout', '1s', ...createArgs()],
        async (event) => {
          if (event.type === 'collection-start' && !stalled) {
            stalled = true;
            started = Date.now();
            await proxy.add({ type: 'timeout', attributes: { timeout: 0 } });
          }
        },
      );
      const res = await run.done;
      const elapsed = Date.now() - started;
      expect(stalled).toBe(true);
      expect(res.code, res.stderr).toBe(3);
      const error = eventsOf(res.stdout).find((e) => e.type === 'error')?.error as {
        code: string;
        message: string;
      };
      expect(error.code).toBe('SOURCE_READ_FAILED');
      expect(error.message).toMatch(/timed out/i);
      // a read that times out twice in a row gives up: per attempt the reply (1 s), the cursor's close
      // on the stalled connection and the reconnection (1 s each), backoff; measured ≈ 12 s
      expect(elapsed).toBeLessThan(16_000);
      await proxy.clear();
      expect(await latestId()).toBe(before);
      recordScenario({
        group: 'network',
        scenario: 'capture: source stalls (no bytes) with 1 s timeouts',
        runs: 1,
        survived: 1,
        nothingLost: true,
        detail: `SOURCE_READ_FAILED after ${(elapsed / 1000).toFixed(1)} s; latest unchanged`,
      });
    });
  },
);
