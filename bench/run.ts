/**
 * `npm run bench [-- name…] [--sizes 10000,200000] [--report] [--label text] [--results-dir dir]`: run the benchmarks in
 * bench/ (all, or those named), each printing a table and writing JSON to bench/results/, then write
 * bench/results/summary.md and throughput.svg from the JSON. `--sizes` sets the document counts of the
 * sized benches (default 10000,200000,1000000; passed as `BENCH_SIZES`). `--report` alone regenerates
 * the summary and chart from the existing JSON without running anything. `--label` is printed at the
 * top of the summary (say what kind of run it was); `--results-dir` reads and writes the JSON, summary
 * and chart there instead of bench/results/ (e.g. for a check run). The real servers must be up
 * (`scripts/test-servers up`) and the CLI built (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../test/helpers/servers.js';
import { writeReport } from './lib/write-report.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sizes: { type: 'string' },
    report: { type: 'boolean', default: false },
    label: { type: 'string' },
    'results-dir': { type: 'string' },
  },
});
const resultsDir = resolve(values['results-dir'] ?? join(REPO_ROOT, 'bench', 'results'));
const all = readdirSync(join(REPO_ROOT, 'bench'))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''));
const unknown = positionals.filter((b) => !all.includes(b));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; benches: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
if (!values.report || positionals.length > 0 || values.sizes !== undefined) {
  const chosen = positionals.length > 0 ? positionals : all;
  const env = {
    ...process.env,
    BENCH_RESULTS_DIR: resultsDir,
    ...(values.sizes === undefined ? {} : { BENCH_SIZES: values.sizes }),
  };
  for (const bench of chosen) {
    console.log(`\n== bench ${bench}`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', `${bench}.ts`)], {
      stdio: 'inherit',
      env,
    });
    if (r.status !== 0) failed++;
  }
}
await writeReport(resultsDir, values.label);
console.log(`wrote ${join(resultsDir, 'summary.md')} and throughput.svg`);
process.exit(failed === 0 ? 0 : 1);
