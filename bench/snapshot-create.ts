/**
 * Benchmark: `dbfork snapshot create` against the real `mongodump --archive`, same server, same data,
 * same run. Reports wall time and peak RSS for 10k and 200k generated documents, the ratios to
 * mongodump, and dbfork's own 200k/10k peak-RSS ratio (memory must not grow with data: close to 1).
 *
 * dbfork runs twice per size: with Node's defaults, and with the V8 old space capped
 * (`--max-old-space-size=64`). With defaults V8 grows its heap lazily with the allocation rate, so RSS
 * drifts up on long runs even though the live set is flat; the capped run shows the live set: if it
 * grew with the data, the 200k capture would fail with an out-of-memory error under the cap.
 *
 * Run: `npm run bench -- snapshot-create` (servers must be up: scripts/test-servers up).
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServers, REPO_ROOT } from '../test/helpers/servers.js';
import { ensureGenerated } from './lib/generate.js';
import { measure, mib } from './lib/measure.js';

const sizes = [10_000, 200_000];
const servers = testServers();
const cli = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const rows: Record<string, unknown>[] = [];

for (const count of sizes) {
  const db = `bench_capture_${count}`;
  await ensureGenerated(servers.sourceUri, db, count);
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-bench-'));
  try {
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
    ];
    const dbfork = await measure(process.execPath, args);
    if (dbfork.exitCode !== 0) throw new Error(`dbfork failed: ${dbfork.stderr}`);
    const capped = await measure(process.execPath, ['--max-old-space-size=64', ...args]);
    if (capped.exitCode !== 0) throw new Error(`dbfork (heap capped at 64 MiB) failed: ${capped.stderr}`);
    const mongodump = await measure(join(servers.toolsBin, 'mongodump'), [
      `--uri=${servers.sourceUri}`,
      `--db=${db}`,
      `--archive=${join(dir, 'mongodump.archive')}`,
      '--quiet',
    ]);
    if (mongodump.exitCode !== 0) throw new Error(`mongodump failed: ${mongodump.stderr}`);
    rows.push({
      documents: count,
      dbforkWallMs: Math.round(dbfork.wallMs),
      mongodumpWallMs: Math.round(mongodump.wallMs),
      wallRatio: +(dbfork.wallMs / mongodump.wallMs).toFixed(2),
      dbforkPeakRssMiB: +mib(dbfork.peakRssBytes),
      dbforkCappedPeakRssMiB: +mib(capped.peakRssBytes),
      dbforkCappedWallMs: Math.round(capped.wallMs),
      mongodumpPeakRssMiB: +mib(mongodump.peakRssBytes),
      rssRatio: +(dbfork.peakRssBytes / mongodump.peakRssBytes).toFixed(2),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
  `dbfork peak RSS 200k/10k: ${growth} with Node defaults, ${cappedGrowth} with the heap capped at 64 MiB`,
);
mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(REPO_ROOT, 'bench', 'results', 'snapshot-create.json'),
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
