/**
 * Benchmark: `dbfork snapshot create` against the real `mongodump --archive`, same server, same data,
 * same run, at every size of the run (`BENCH_SIZES`, default 10k, 200k, 1M generated documents).
 * Per size and tool: wall time, CPU time (user + system) per GB of BSON, peak RSS, µs per document,
 * and the ratios dbfork/mongodump; across sizes: peak RSS over the smallest size and time per
 * document over the 200k run (memory and per-document cost must not grow with the data).
 *
 * dbfork runs raw (`--no-anonymize`), with 3 rules (`--rules`, every other field kept), and raw with
 * the V8 old space capped (`--max-old-space-size=64`): with defaults V8 grows its heap lazily with the
 * allocation rate, so RSS drifts up on long runs even though the live set is flat; the capped run shows
 * the live set (if it grew with the data, the large capture would fail under the cap).
 *
 * The source database is loaded once per size with mongorestore of a generated archive
 * (bench/lib/dataset.ts) and kept for later runs.
 *
 * Run: `npm run bench -- snapshot-create` (servers must be up: scripts/test-servers up).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServers, REPO_ROOT } from '../test/helpers/servers.js';
import { ensureLoaded } from './lib/dataset.js';
import { benchSizes, figures, ratio, type Figures, resultsFile } from './lib/figures.js';
import { measure } from './lib/measure.js';
import { writeKey, writeRules } from './lib/rules.js';

const sizes = benchSizes();
const servers = testServers();
const cli = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const rows: Record<string, unknown>[] = [];
const loadBefore = loadavg();

for (const count of sizes) {
  const db = `bench_customers_${count}`;
  const data = await ensureLoaded(servers.sourceUri, servers.toolsBin, db, count);
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-bench-'));
  try {
    const base = [cli, 'snapshot', 'create', '--uri', servers.sourceUri, '--db', db];
    const run = async (label: string, args: readonly string[]): Promise<Figures> => {
      rmSync(join(dir, 'store'), { recursive: true, force: true });
      const m = await measure(process.execPath, args);
      if (m.exitCode !== 0) throw new Error(`${label} failed: ${m.stderr}`);
      return figures(m, count, data.bsonBytes);
    };
    const store = ['--store', join(dir, 'store')];
    const raw = await run('dbfork', [...base, ...store, '--no-anonymize']);
    const rules = ['--rules', writeRules(dir, db, 3), '--key-file', writeKey(dir)];
    const threeRules = await run('dbfork (3 rules)', [...base, ...store, ...rules]);
    const capped = await run('dbfork (heap capped at 64 MiB)', [
      '--max-old-space-size=64',
      ...base,
      ...store,
      '--no-anonymize',
    ]);
    const dump = await measure(join(servers.toolsBin, 'mongodump'), [
      `--uri=${servers.sourceUri}`,
      `--db=${db}`,
      `--archive=${join(dir, 'mongodump.archive')}`,
      '--quiet',
    ]);
    if (dump.exitCode !== 0) throw new Error(`mongodump failed: ${dump.stderr}`);
    const mongodump = figures(dump, count, data.bsonBytes);
    rows.push({
      documents: count,
      bsonBytes: data.bsonBytes,
      dbfork: raw,
      dbforkThreeRules: threeRules,
      dbforkCapped: capped,
      mongodump,
      wallRatio: ratio(raw.wallMs, mongodump.wallMs),
      cpuRatio: ratio(raw.cpuSecondsPerGB, mongodump.cpuSecondsPerGB),
      rssRatio: ratio(raw.peakRssMiB, mongodump.peakRssMiB),
      threeRulesCpuRatio: ratio(threeRules.cpuSecondsPerGB, mongodump.cpuSecondsPerGB),
    });
    console.log(`${count} docs: dbfork ${JSON.stringify(raw)}; 3 rules ${JSON.stringify(threeRules)}`);
    console.log(`${count} docs: mongodump ${JSON.stringify(mongodump)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.table(
  rows.map((r) => {
    const f = (k: string): Figures => r[k] as Figures;
    return {
      documents: r.documents,
      'dbfork wall ms': f('dbfork').wallMs,
      'mongodump wall ms': f('mongodump').wallMs,
      'dbfork CPU s/GB': f('dbfork').cpuSecondsPerGB,
      '3 rules CPU s/GB': f('dbforkThreeRules').cpuSecondsPerGB,
      'mongodump CPU s/GB': f('mongodump').cpuSecondsPerGB,
      'CPU ratio': r.cpuRatio,
      'dbfork RSS MiB': f('dbfork').peakRssMiB,
      'capped RSS MiB': f('dbforkCapped').peakRssMiB,
      'mongodump RSS MiB': f('mongodump').peakRssMiB,
    };
  }),
);
writeFileSync(
  resultsFile('snapshot-create'),
  JSON.stringify(
    {
      measuredAt: new Date().toISOString(),
      node: process.version,
      loadAverage: {
        before: loadBefore.map((l) => +l.toFixed(2)),
        after: loadavg().map((l) => +l.toFixed(2)),
      },
      sizes,
      notes: [
        'dbfork: snapshot create --format archive into a file store; raw is --no-anonymize, "three rules" anonymizes name, email, street (every other field kept).',
        'mongodump --archive=<file> of the same database, same run.',
        'CPU s/GB: user + system CPU seconds of the process per 10^9 bytes of BSON; ratios are dbfork/mongodump.',
      ],
      rows,
    },
    null,
    2,
  ) + '\n',
);
