/**
 * Benchmark: a referentially complete subset at two sizes, 10k documents with 50k references and 200k
 * documents with 1M references, selected inside a whole snapshot and restored with
 * `dbfork restore --subset`; next to it, in the same run, `mongorestore --archive` of a `mongodump
 * --archive` of the same database into the same server (the database holds exactly the subset: every
 * customer is a root and every account is listed by some customer, so both restore the same
 * documents). Reports wall time, CPU time (user + system) and peak RSS.
 *
 * The data: `customers` (one in five documents) each list 25 `accounts.account_id` values, so each
 * account is referenced about six times. The closure's memory spills to its on-disk index past
 * 100,000 entries (the default), so the large run exercises it and the small one does not. What
 * matters is dbfork's own peak RSS, 200k over 10k: the goal is at most 1.2 (memory must not grow with
 * the subset). As in `snapshot-create`, dbfork also runs with the V8 old space capped at 64 MiB: V8
 * grows its heap lazily with the allocation rate, so uncapped RSS drifts up on long runs even when the
 * live set is flat; under the cap, a live set that grew with the subset would fail the run.
 *
 * FerretDB refuses the `ns` option mongorestore passes with index specs, so mongorestore runs with
 * `--noIndexRestore`; dbfork also builds the `account_id` index, and verifies and swaps: that work is
 * inside its figures.
 *
 * The closure runs here on the snapshot (`restore --subset`) rather than on the live source
 * (`snapshot create --subset`), which runs the same closure code with `$in` lookups: FerretDB, the
 * local test server, answers a 1000-value `$in` by scanning the collection, which at 160k accounts
 * takes about a minute per lookup on this machine and measures FerretDB, not dbfork.
 *
 * Run: `npm run bench -- subset` (servers must be up: scripts/test-servers up; CLI built).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Int32, MongoClient } from 'mongodb';
import { testServers, REPO_ROOT } from '../test/helpers/servers.js';
import { resultsFile } from './lib/figures.js';
import { measure, mib } from './lib/measure.js';

const REFS_PER_CUSTOMER = 25;
const sizes = [10_000, 200_000];
const servers = testServers();
const cli = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const rows: Record<string, unknown>[] = [];

/** `db` holds `documents` documents: a fifth customers, the rest accounts, every account listed. */
async function ensureSubsetData(db: string, documents: number): Promise<number> {
  const customers = documents / 5;
  const accounts = documents - customers;
  const client = new MongoClient(servers.sourceUri);
  try {
    const database = client.db(db);
    const ready =
      (await database.collection('customers').estimatedDocumentCount()) === customers &&
      (await database.collection('accounts').estimatedDocumentCount()) === accounts;
    if (!ready) {
      await database.dropDatabase();
      await database.collection('accounts').createIndex({ account_id: 1 });
      for (let start = 0; start < accounts; start += 5000)
        await database.collection('accounts').insertMany(
          Array.from({ length: Math.min(5000, accounts - start) }, (_, k) => ({
            account_id: new Int32(start + k),
            limit: 10_000,
            products: ['Brokerage', 'InvestmentStock'],
          })),
          { ordered: false },
        );
      for (let start = 0; start < customers; start += 5000)
        await database.collection('customers').insertMany(
          Array.from({ length: Math.min(5000, customers - start) }, (_, k) => {
            const i = start + k;
            // customer i lists accounts i*4 … i*4+3 (so every account is listed) and 21 more spread out
            const listed = Array.from({ length: REFS_PER_CUSTOMER }, (_, r) =>
              r < 4 ? i * 4 + r : (i * 7919 + r * 104_729) % accounts,
            );
            return {
              name: `customer ${i}`,
              email: `c${i}@example.com`,
              accounts: listed.map((a) => new Int32(a)),
            };
          }),
          { ordered: false },
        );
    }
    return customers * REFS_PER_CUSTOMER;
  } finally {
    await client.close();
  }
}

for (const documents of sizes) {
  const db = `bench_subset_${documents}`;
  const references = await ensureSubsetData(db, documents);
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-bench-subset-'));
  const targetDb = `${db}_pr_1`;
  try {
    const relations = join(dir, 'relations.yaml');
    writeFileSync(relations, 'relations:\n  - { from: customers.accounts, to: accounts.account_id }\n');
    const store = join(dir, 'store');
    const snapshot = await measure(process.execPath, [
      cli,
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      db,
      '--store',
      store,
      '--no-anonymize',
    ]);
    if (snapshot.exitCode !== 0) throw new Error(`dbfork snapshot create failed: ${snapshot.stderr}`);
    const restoreArgs = (into: string) => [
      cli,
      'restore',
      '--snapshot',
      `${db}@latest`,
      '--store',
      store,
      '--to',
      servers.targetUri,
      '--db',
      into,
      '--no-anonymize',
      '--subset',
      'customers={}',
      '--relations',
      relations,
    ];
    const dbfork = await measure(process.execPath, restoreArgs(targetDb));
    if (dbfork.exitCode !== 0) throw new Error(`dbfork restore --subset failed: ${dbfork.stderr}`);
    const capped = await measure(process.execPath, [
      '--max-old-space-size=64',
      ...restoreArgs(`${db}_capped_pr_1`),
    ]);
    if (capped.exitCode !== 0) throw new Error(`dbfork (heap capped at 64 MiB) failed: ${capped.stderr}`);
    const archive = join(dir, 'mongodump.archive');
    const dump = await measure(join(servers.toolsBin, 'mongodump'), [
      `--uri=${servers.sourceUri}`,
      `--db=${db}`,
      `--archive=${archive}`,
      '--quiet',
    ]);
    if (dump.exitCode !== 0) throw new Error(`mongodump failed: ${dump.stderr}`);
    const mongorestore = await measure(join(servers.toolsBin, 'mongorestore'), [
      `--uri=${servers.targetUri}`,
      `--archive=${archive}`,
      `--nsFrom=${db}.*`,
      `--nsTo=${targetDb}_mongorestore.*`,
      '--drop',
      '--noIndexRestore',
      '--quiet',
    ]);
    if (mongorestore.exitCode !== 0) throw new Error(`mongorestore failed: ${mongorestore.stderr}`);
    rows.push({
      documents,
      references,
      dbforkWallMs: Math.round(dbfork.wallMs),
      dbforkCpuMs: dbfork.cpuMs,
      dbforkPeakRssMiB: +mib(dbfork.peakRssBytes),
      dbforkCappedPeakRssMiB: +mib(capped.peakRssBytes),
      mongorestoreWallMs: Math.round(mongorestore.wallMs),
      mongorestoreCpuMs: mongorestore.cpuMs,
      mongorestorePeakRssMiB: +mib(mongorestore.peakRssBytes),
      wallRatio: +(dbfork.wallMs / mongorestore.wallMs).toFixed(2),
      cpuRatio: +(dbfork.cpuMs / Math.max(1, mongorestore.cpuMs)).toFixed(2),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    const client = new MongoClient(servers.targetUri);
    await client.db(targetDb).dropDatabase();
    await client.db(`${db}_capped_pr_1`).dropDatabase();
    await client.db(`${targetDb}_mongorestore`).dropDatabase();
    await client.close();
  }
}

const small = rows[0]!;
const large = rows[1]!;
const growth = +((large.dbforkPeakRssMiB as number) / (small.dbforkPeakRssMiB as number)).toFixed(2);
const cappedGrowth = +(
  (large.dbforkCappedPeakRssMiB as number) / (small.dbforkCappedPeakRssMiB as number)
).toFixed(2);
console.table(rows);
console.log(
  `dbfork subset peak RSS 200k/10k: ${growth} with Node defaults, ${cappedGrowth} with the heap capped at 64 MiB (goal ≤ 1.2)`,
);
writeFileSync(
  resultsFile('subset'),
  JSON.stringify(
    {
      measuredAt: new Date().toISOString(),
      node: process.version,
      rows,
      peakRssGrowth200kOver10k: growth,
      cappedPeakRssGrowth200kOver10k: cappedGrowth,
    },
    null,
    2,
  ) + '\n',
);
