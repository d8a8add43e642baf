/**
 * Benchmark: `dbfork restore` against the real `mongorestore --archive`, same archive, same target
 * server, same run. Reports, per size and tool, wall time, CPU time (user + system) per GB of BSON,
 * peak RSS and µs per document, and the ratios dbfork/mongorestore (the goal is ≤ 1.0).
 *
 * Per size: one generated archive (bench/lib/dataset.ts, written once and shared with the other
 * benches of the run) is restored by both tools into fresh databases of the target server. The two tools alternate which goes first in each repetition,
 * so neither always meets a warm (or a tired) server, and both target databases are dropped before
 * every run.
 *
 * Fairness: FerretDB refuses the `ns` option mongorestore passes with index specs, so mongorestore runs
 * with `--noIndexRestore`. The generated collection has only the `_id` index (which both tools get
 * from the collection create), so dbfork builds no index mongorestore skips. dbfork also verifies
 * (counts, checksums) and swaps its temporary collection in; mongorestore does neither: that work is
 * inside dbfork's figures.
 *
 * Environment: `BENCH_SIZES` (comma-separated document counts, default `10000,200000,1000000`; set by
 * `npm run bench -- --sizes …`), `BENCH_RESTORE_REPS` (repetitions per tool, default 2, at least 2).
 *
 * Run: `npm run bench -- restore` (servers up: scripts/test-servers up; CLI built: npm run build).
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { testServers, REPO_ROOT } from '../test/helpers/servers.js';
import { DATA_NS, generatedArchive } from './lib/dataset.js';
import { benchSizes, figures, ratio, resultsFile } from './lib/figures.js';
import { measure, mib, type Measurement } from './lib/measure.js';

const sizes = benchSizes();
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
  readonly cpuMs: number;
  readonly cpuSecondsPerGB: number;
  readonly peakRssMiB: number;
}

const runs: Run[] = [];
const rows: Record<string, unknown>[] = [];
const target = new MongoClient(servers.targetUri);
const loadBefore = loadavg();

try {
  for (const count of sizes) {
    const data = await generatedArchive(count);
    const archive = data.path;
    const sourceDb = DATA_NS.db;
    {
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
          const f = figures(m, count, data.bsonBytes);
          runs.push({
            documents: count,
            repetition: rep,
            tool,
            order: i + 1,
            wallMs: f.wallMs,
            cpuMs: f.cpuMs,
            cpuSecondsPerGB: f.cpuSecondsPerGB,
            peakRssMiB: f.peakRssMiB,
          });
          console.log(
            `${count} docs, rep ${rep}, ${tool}: ${f.wallMs} ms, ${f.cpuSecondsPerGB} CPU s/GB, ${mib(m.peakRssBytes)} MiB`,
          );
        }
      }
      await dropDbs(Object.values(dbs));
      rows.push(summarize(count, data.bsonBytes));
    }
  }
} finally {
  await target.close();
}

console.table(
  rows.map((r) => {
    const side = (k: string) => r[k] as { wallMs: number; cpuSecondsPerGB: number; peakRssMiB: number };
    return {
      documents: r.documents,
      'dbfork wall ms': side('dbfork').wallMs,
      'mongorestore wall ms': side('mongorestore').wallMs,
      'dbfork CPU s/GB': side('dbfork').cpuSecondsPerGB,
      'mongorestore CPU s/GB': side('mongorestore').cpuSecondsPerGB,
      'dbfork RSS MiB': side('dbfork').peakRssMiB,
      'mongorestore RSS MiB': side('mongorestore').peakRssMiB,
      'wall ratio': r.wallRatio,
      'CPU ratio': r.cpuRatio,
    };
  }),
);
console.log(
  'mongorestore ran with --noIndexRestore (FerretDB refuses the index `ns` option); the data has only the _id index, so neither tool built a secondary index.',
);
writeFileSync(
  resultsFile('restore'),
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
        'Same generated archive (bench/lib/dataset.ts), same target server, same run.',
        'mongorestore: --archive --nsFrom/--nsTo --noIndexRestore (FerretDB refuses the index ns option); the generated collection has only the _id index.',
        'dbfork includes its verification (server count, sha256 and CRC-64) and the safe swap; mongorestore does neither.',
        'Order alternates per repetition; both target databases are dropped before every run.',
        'Times, CPU and RSS are means over the repetitions; ratios are dbfork/mongorestore.',
        'CPU s/GB: user + system CPU seconds of the process per 10^9 bytes of BSON.',
      ],
      rows,
      runs,
    },
    null,
    2,
  ) + '\n',
);

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

function summarize(count: number, bsonBytes: number): Record<string, unknown> {
  const mean = (tool: Tool, key: 'wallMs' | 'peakRssMiB' | 'cpuMs'): number => {
    const xs = runs.filter((r) => r.documents === count && r.tool === tool).map((r) => r[key]);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const side = (tool: Tool) => {
    const wallMs = mean(tool, 'wallMs');
    return {
      wallMs: Math.round(wallMs),
      cpuMs: Math.round(mean(tool, 'cpuMs')),
      cpuSecondsPerGB: +(mean(tool, 'cpuMs') / 1000 / (bsonBytes / 1e9)).toFixed(2),
      peakRssMiB: +mean(tool, 'peakRssMiB').toFixed(1),
      microsPerDocument: +((wallMs * 1000) / count).toFixed(2),
    };
  };
  const d = side('dbfork');
  const m = side('mongorestore');
  return {
    documents: count,
    bsonBytes,
    dbfork: d,
    mongorestore: m,
    wallRatio: ratio(d.wallMs, m.wallMs),
    cpuRatio: ratio(d.cpuSecondsPerGB, m.cpuSecondsPerGB),
    rssRatio: ratio(d.peakRssMiB, m.peakRssMiB),
  };
}
