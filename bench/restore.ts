/**
 * Benchmark: `dbfork restore` against the real `mongorestore --archive`, same snapshot archive, same
 * target server, same run. Reports wall time and peak RSS for 50k and 200k generated documents, and
 * the ratios dbfork/mongorestore (the goal is ≤ 1.0).
 *
 * Per size: the documents are generated into the source server, captured once with
 * `dbfork snapshot create --no-anonymize`, and that one `data.archive` is restored by both tools into
 * fresh databases of the target server. The two tools alternate which goes first in each repetition,
 * so neither always meets a warm (or a tired) server, and both target databases are dropped before
 * every run.
 *
 * Fairness: FerretDB refuses the `ns` option mongorestore passes with index specs, so mongorestore runs
 * with `--noIndexRestore`. The generated collection has only the `_id` index (which both tools get
 * from the collection create), so dbfork builds no index mongorestore skips. dbfork also verifies
 * (counts, checksums) and swaps its temporary collection in; mongorestore does neither: that work is
 * inside dbfork's figures.
 *
 * Environment: `BENCH_RESTORE_SIZES` (comma-separated document counts, default `50000,200000`),
 * `BENCH_RESTORE_REPS` (repetitions per tool, default 2, at least 2).
 *
 * Run: `npm run bench -- restore` (servers up: scripts/test-servers up; CLI built: npm run build).
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { testServers, REPO_ROOT } from '../test/helpers/servers.js';
import { ensureGenerated } from './lib/generate.js';
import { measure, mib, type Measurement } from './lib/measure.js';

const sizes = (process.env.BENCH_RESTORE_SIZES ?? '50000,200000').split(',').map(Number);
const reps = Math.max(2, Number(process.env.BENCH_RESTORE_REPS ?? 2));
const servers = testServers();
const cli = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const mongorestore = join(servers.toolsBin, 'mongorestore');

type Tool = 'dbfork' | 'mongorestore';

/** One timed run of one tool. Times in ms, sizes in MiB. */
interface Run {
  readonly documents: number;
  readonly repetition: number;
  readonly tool: Tool;
  /** 1 when the tool ran first in its repetition, 2 when second. */
  readonly order: number;
  readonly wallMs: number;
  readonly peakRssMiB: number;
}

const runs: Run[] = [];
const rows: Record<string, unknown>[] = [];
const target = new MongoClient(servers.targetUri);
const loadBefore = loadavg();

try {
  for (const count of sizes) {
    const sourceDb = `bench_restore_${count}`;
    await ensureGenerated(servers.sourceUri, sourceDb, count);
    const dir = mkdtempSync(join(tmpdir(), 'dbfork-bench-restore-'));
    try {
      const archive = await snapshot(sourceDb, join(dir, 'store'));
      const dbs: Record<Tool, string> = {
        dbfork: `bench_restore_${count}_pr_1`,
        mongorestore: `bench_mongorestore_${count}_pr_2`,
      };
      for (let rep = 1; rep <= reps; rep++) {
        const order: Tool[] = rep % 2 === 1 ? ['dbfork', 'mongorestore'] : ['mongorestore', 'dbfork'];
        for (const [i, tool] of order.entries()) {
          await dropDbs(Object.values(dbs));
          const m =
            tool === 'dbfork'
              ? await runDbfork(archive, dbs.dbfork)
              : await runMongorestore(archive, sourceDb, dbs.mongorestore, count);
          await expectDocuments(dbs[tool], count, tool);
          runs.push({
            documents: count,
            repetition: rep,
            tool,
            order: i + 1,
            wallMs: Math.round(m.wallMs),
            peakRssMiB: +mib(m.peakRssBytes),
          });
          console.log(
            `${count} docs, rep ${rep}, ${tool}: ${Math.round(m.wallMs)} ms, ${mib(m.peakRssBytes)} MiB`,
          );
        }
      }
      await dropDbs(Object.values(dbs));
      rows.push(summarize(count));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  await target.close();
}

console.table(rows);
console.log(
  'mongorestore ran with --noIndexRestore (FerretDB refuses the index `ns` option); the data has only the _id index, so neither tool built a secondary index.',
);
mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(REPO_ROOT, 'bench', 'results', 'restore.json'),
  JSON.stringify(
    {
      measuredAt: new Date().toISOString(),
      node: process.version,
      loadAverage: {
        before: loadBefore.map((l) => +l.toFixed(2)),
        after: loadavg().map((l) => +l.toFixed(2)),
      },
      repetitions: reps,
      notes: [
        'Same data.archive (from dbfork snapshot create --no-anonymize), same target server, same run.',
        'mongorestore: --archive --nsFrom/--nsTo --noIndexRestore (FerretDB refuses the index ns option); the generated collection has only the _id index.',
        'dbfork includes its verification (server count, sha256 and CRC-64) and the safe swap; mongorestore does neither.',
        'Order alternates per repetition; both target databases are dropped before every run.',
        'Times are means over the repetitions; ratios are dbfork/mongorestore.',
      ],
      rows,
      runs,
    },
    null,
    2,
  ) + '\n',
);

/** Capture `db` with dbfork into `store`; returns the path of the snapshot's data.archive. */
async function snapshot(db: string, store: string): Promise<string> {
  const m = await measure(process.execPath, [
    cli,
    'snapshot',
    'create',
    '--uri',
    servers.sourceUri,
    '--db',
    db,
    '--store',
    store,
    '--format',
    'archive',
    '--no-anonymize',
  ]);
  if (m.exitCode !== 0) throw new Error(`dbfork snapshot create failed: ${m.stderr}`);
  const [id] = readdirSync(join(store, db)).filter((f) => f !== 'latest');
  if (!id) throw new Error(`no snapshot in ${store}`);
  return join(store, db, id, 'data.archive');
}

async function runDbfork(archive: string, db: string): Promise<Measurement> {
  const m = await measure(process.execPath, [
    cli,
    'restore',
    '--in',
    archive,
    '--to',
    servers.targetUri,
    '--db',
    db,
    '--no-anonymize',
  ]);
  if (m.exitCode !== 0) throw new Error(`dbfork restore failed: ${m.stderr}`);
  return m;
}

async function runMongorestore(
  archive: string,
  sourceDb: string,
  db: string,
  count: number,
): Promise<Measurement> {
  const m = await measure(mongorestore, [
    `--uri=${servers.targetUri}`,
    `--archive=${archive}`,
    `--nsFrom=${sourceDb}.*`,
    `--nsTo=${db}.*`,
    '--noIndexRestore',
  ]);
  const restored = /(\d+) document\(s\) restored successfully\. (\d+) document\(s\) failed/.exec(m.stderr);
  if (m.exitCode !== 0 || Number(restored?.[1]) !== count || Number(restored?.[2]) !== 0)
    throw new Error(`mongorestore failed: ${m.stderr}`);
  return m;
}

async function dropDbs(dbs: readonly string[]): Promise<void> {
  for (const db of dbs) await target.db(db).dropDatabase();
}

/** Sanity check after a run: the collection holds `count` documents (collStats: cheap on FerretDB). */
async function expectDocuments(db: string, count: number, tool: Tool): Promise<void> {
  const stats = await target.db(db).command({ collStats: 'customers' });
  if (Number(stats.count) !== count)
    throw new Error(`${tool} left ${String(stats.count)} documents in ${db}, not ${count}`);
}

function summarize(count: number): Record<string, unknown> {
  const mean = (tool: Tool, key: 'wallMs' | 'peakRssMiB'): number => {
    const xs = runs.filter((r) => r.documents === count && r.tool === tool).map((r) => r[key]);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const dw = mean('dbfork', 'wallMs');
  const mw = mean('mongorestore', 'wallMs');
  const dr = mean('dbfork', 'peakRssMiB');
  const mr = mean('mongorestore', 'peakRssMiB');
  return {
    documents: count,
    dbforkWallMs: Math.round(dw),
    mongorestoreWallMs: Math.round(mw),
    wallRatio: +(dw / mw).toFixed(2),
    dbforkPeakRssMiB: +dr.toFixed(1),
    mongorestorePeakRssMiB: +mr.toFixed(1),
    rssRatio: +(dr / mr).toFixed(2),
  };
}
