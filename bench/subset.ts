/**
 * Benchmark: a referentially complete subset at two sizes, 10k documents with 50k references and 200k
 * documents with 1M references, captured with `dbfork snapshot create --subset`; next to it, in the
 * same run, `mongodump --archive` of the same database (which here holds exactly the subset: every
 * customer is a root and every account is listed by some customer, so both write the same documents).
 *
 * The data: `customers` (one in five documents) each list 25 `accounts.account_id` values drawn from
 * the accounts, so each account is referenced about six times; `accounts.account_id` is indexed.
 * The closure's memory spills to its on-disk index past 100,000 entries (the default), so the large
 * run exercises it and the small one does not. What matters is dbfork's own peak RSS, 200k over 10k:
 * the goal is at most 1.2 (memory must not grow with the subset).
 *
 * Run: `npm run bench -- subset` (servers must be up: scripts/test-servers up; CLI built).
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Int32, MongoClient } from 'mongodb';
import { testServers, REPO_ROOT } from '../test/helpers/servers.js';
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
  try {
    const relations = join(dir, 'relations.yaml');
    writeFileSync(relations, 'relations:\n  - { from: customers.accounts, to: accounts.account_id }\n');
    const args = [
      cli,
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      db,
      '--store',
      join(dir, 'store'),
      '--no-anonymize',
      '--subset',
      'customers={}',
      '--relations',
      relations,
    ];
    const dbfork = await measure(process.execPath, args);
    if (dbfork.exitCode !== 0) throw new Error(`dbfork failed: ${dbfork.stderr}`);
    const mongodump = await measure(join(servers.toolsBin, 'mongodump'), [
      `--uri=${servers.sourceUri}`,
      `--db=${db}`,
      `--archive=${join(dir, 'mongodump.archive')}`,
      '--quiet',
    ]);
    if (mongodump.exitCode !== 0) throw new Error(`mongodump failed: ${mongodump.stderr}`);
    rows.push({
      documents,
      references,
      dbforkWallMs: Math.round(dbfork.wallMs),
      dbforkCpuMs: dbfork.cpuMs,
      dbforkPeakRssMiB: +mib(dbfork.peakRssBytes),
      mongodumpWallMs: Math.round(mongodump.wallMs),
      mongodumpCpuMs: mongodump.cpuMs,
      mongodumpPeakRssMiB: +mib(mongodump.peakRssBytes),
      wallRatio: +(dbfork.wallMs / mongodump.wallMs).toFixed(2),
      cpuRatio: +(dbfork.cpuMs / Math.max(1, mongodump.cpuMs)).toFixed(2),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const small = rows[0]!;
const large = rows[1]!;
const growth = +((large.dbforkPeakRssMiB as number) / (small.dbforkPeakRssMiB as number)).toFixed(2);
console.table(rows);
console.log(`dbfork subset peak RSS 200k/10k: ${growth} (goal ≤ 1.2)`);
mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(REPO_ROOT, 'bench', 'results', 'subset.json'),
  JSON.stringify(
    { measuredAt: new Date().toISOString(), node: process.version, rows, peakRssGrowth200kOver10k: growth },
    null,
    2,
  ) + '\n',
);
