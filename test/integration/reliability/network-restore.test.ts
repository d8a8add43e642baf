import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDump } from '../../../src/archive/index.js';
import { recordScenario } from '../../helpers/reliability-record.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';
import { Toxiproxy, type FaultProxy, type Toxic } from '../../helpers/toxiproxy.js';
import { eventsOf, runCliWatching } from '../../helpers/watch-cli.js';
import { fixtureStream, type FixtureCollection } from '../restore/dump-fixture.js';
import { size, TIMEOUT } from './reliability-sizes.js';
import { collectionState, oldOrNew } from './target-state.js';

const servers = testServers();
const OLD_DOCS = size(500, 5000);
const NEW_DOCS = size(700, 8000);
const COLLECTIONS = ['a', 'b', 'c'];

function dumpOf(marker: string, n: number): FixtureCollection[] {
  return COLLECTIONS.map((name) => ({
    name,
    docs: Array.from({ length: n }, (_, i) => ({ _id: i, marker, pad: 'x'.repeat(200) })),
    indexes: [{ v: 2, key: { marker: 1 }, name: 'marker_1' }],
  }));
}

/** A fault, and when it starts: at once, or when the restore reports its first loaded collection. */
interface Fault {
  readonly label: string;
  readonly toxic: Toxic;
  readonly when: 'start' | 'first-progress';
}

const FAULTS = size<readonly Fault[]>(
  [
    {
      label: 'cut after 150 kB sent',
      toxic: { type: 'limit_data', stream: 'upstream', attributes: { bytes: 150_000 } },
      when: 'start',
    },
    {
      label: 'stall while loading',
      toxic: { type: 'timeout', attributes: { timeout: 0 } },
      when: 'first-progress',
    },
  ],
  [
    {
      label: 'cut after 20 kB sent',
      toxic: { type: 'limit_data', stream: 'upstream', attributes: { bytes: 20_000 } },
      when: 'start',
    },
    {
      label: 'cut after 150 kB sent',
      toxic: { type: 'limit_data', stream: 'upstream', attributes: { bytes: 150_000 } },
      when: 'start',
    },
    {
      label: 'cut after 1 MB sent',
      toxic: { type: 'limit_data', stream: 'upstream', attributes: { bytes: 1_000_000 } },
      when: 'start',
    },
    {
      label: 'cut after 3 MB sent',
      toxic: { type: 'limit_data', stream: 'upstream', attributes: { bytes: 3_000_000 } },
      when: 'start',
    },
    {
      label: 'reset while loading',
      toxic: { type: 'reset_peer', attributes: { timeout: 0 } },
      when: 'first-progress',
    },
    {
      label: 'stall while loading',
      toxic: { type: 'timeout', attributes: { timeout: 0 } },
      when: 'first-progress',
    },
    { label: 'stall at once', toxic: { type: 'timeout', attributes: { timeout: 0 } }, when: 'start' },
  ],
);

describe(
  'restore through a fault-injection proxy (Toxiproxy) in front of the target',
  { timeout: TIMEOUT },
  () => {
    const db = `${uniqueDbName('rel_rst')}_pr_1`;
    const dir = mkdtempSync(join(tmpdir(), 'dbfork-rel-rst-'));
    const oldDump = join(dir, 'old.archive');
    const newDump = join(dir, 'new.archive');
    const client = new MongoClient(servers.targetUri);
    const toxiproxy = new Toxiproxy();
    let proxy: FaultProxy;
    const args = (dump: string, uri: string): string[] => [
      '--socket-timeout',
      '1s',
      '--server-selection-timeout',
      '1s',
      'restore',
      '--in',
      dump,
      '--to',
      uri,
      '--db',
      db,
      '--insert-workers',
      '2',
      '--no-anonymize',
    ];
    const states = (): Promise<string[]> =>
      Promise.all(COLLECTIONS.map((c) => collectionState(client, db, c, OLD_DOCS, NEW_DOCS)));

    beforeAll(async () => {
      await toxiproxy.start();
      proxy = await toxiproxy.proxy(servers.targetUri);
      await writeDump(fixtureStream('prod', dumpOf('old', OLD_DOCS)), oldDump, { format: 'archive' });
      await writeDump(fixtureStream('prod', dumpOf('new', NEW_DOCS)), newDump, { format: 'archive' });
    });
    afterAll(async () => {
      await toxiproxy.stop();
      await client.db(db).dropDatabase();
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`after a reset or stall at ${FAULTS.length} points every collection is old or new, and a rerun completes`, async () => {
      let survived = 0;
      const outcomes: string[] = [];
      for (const fault of FAULTS) {
        await proxy.clear();
        const baseline = await runCli(args(oldDump, servers.targetUri));
        expect(baseline.code, baseline.stderr).toBe(0);
        if (fault.when === 'start') await proxy.add(fault.toxic);
        let injected = fault.when === 'start';
        const started = Date.now();
        const run = runCliWatching(args(newDump, proxy.uri), async (event) => {
          if (!injected && event.type === 'collection-progress') {
            injected = true;
            await proxy.add(fault.toxic);
          }
        });
        const res = await run.done;
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        expect(injected, fault.label).toBe(true);
        const error = eventsOf(res.stdout).find((e) => e.type === 'error')?.error as
          { code?: string } | undefined;
        // a failed run ends as a clear error, never a crash; the target is old or new, never a mix
        expect(res.code === 0 || error?.code !== 'INTERNAL', `${fault.label}: ${res.stderr}`).toBe(true);
        expect([0, 7]).toContain(res.code);
        const after = await states();
        expect(oldOrNew(after as never), `${fault.label}: ${after.join(', ')}`).toBe(true);

        await proxy.clear();
        const rerun = await runCli(args(newDump, proxy.uri));
        expect(rerun.code, `${fault.label} rerun: ${rerun.stderr}`).toBe(0);
        expect(await states(), fault.label).toEqual(COLLECTIONS.map(() => 'complete-new'));
        outcomes.push(
          `${fault.label}: ${res.code === 0 ? 'completed' : (error?.code ?? `exit ${res.code}`)} in ${seconds} s`,
        );
        survived++;
      }
      recordScenario({
        group: 'network',
        scenario: 'restore: target connection reset or stalled mid-load',
        runs: FAULTS.length,
        survived,
        nothingLost: survived === FAULTS.length,
        detail: `every collection old or new, rerun completes; ${outcomes.join('; ')}`,
      });
    });

    it('with 200 ms latency and a bandwidth cap on the target link, the restore completes and progress keeps moving', async () => {
      await proxy.clear();
      await proxy.add({ type: 'latency', attributes: { latency: 200, jitter: 20 } });
      await proxy.add({ type: 'bandwidth', attributes: { rate: 200 } });
      const stamps: number[] = [];
      const started = Date.now();
      const run = runCliWatching(args(newDump, proxy.uri), (event) => {
        if (event.type === 'collection-progress' || event.type === 'collection-done') stamps.push(Date.now());
      });
      const res = await run.done;
      expect(res.code, res.stderr).toBe(0);
      expect(await states()).toEqual(COLLECTIONS.map(() => 'complete-new'));
      const gaps = stamps.slice(1).map((t, i) => t - stamps[i]!);
      const longest = Math.max(0, ...gaps);
      expect(stamps.length).toBeGreaterThan(3);
      // progress events keep coming while the slow link works (they are sent every 250 ms of work)
      expect(longest).toBeLessThan(5000);
      await proxy.clear();
      recordScenario({
        group: 'network',
        scenario: 'restore: 200 ms latency and a 200 KB/s cap on the target link',
        runs: 1,
        survived: 1,
        nothingLost: true,
        detail: `completed in ${((Date.now() - started) / 1000).toFixed(1)} s; ${stamps.length} progress events, longest gap ${(longest / 1000).toFixed(1)} s`,
      });
    });
  },
);
