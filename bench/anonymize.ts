/**
 * Benchmark: `dbfork anonymize` of a generated archive file to an archive file, through the CLI.
 *
 * - scale: 3 rules, one worker (no `--workers` flag), at every size of the run (`BENCH_SIZES`,
 *   default 10k, 200k, 1M): wall time, CPU s/GB of BSON, peak RSS, µs per document;
 * - grid: rules (0/3/10, every other field kept so the fail-closed check passes) × workers (1/2) at
 *   `BENCH_GRID_SIZE` documents (default: 200k, or the largest size of the run if smaller), each passing
 *   `--workers N`; a CLI that rejects the flag (unknown option) gives a "not available" row (for one
 *   worker the run is repeated without the flag, the CLI's default);
 * - reference: plain bson deserialize + serialize of the same documents in this process, one core.
 *
 * MB/s counts input BSON bytes (10^6). Writes bench/results/anonymize.json.
 *
 * Run: `npm run bench -- anonymize` (CLI built: npm run build; no server needed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'bson';
import { REPO_ROOT } from '../test/helpers/servers.js';
import { benchDocument, generatedArchive, type GeneratedArchive } from './lib/dataset.js';
import { benchSizes, figures, type Figures, resultsFile } from './lib/figures.js';
import { measure } from './lib/measure.js';
import { writeKey, writeRules } from './lib/rules.js';

const cli = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const sizes = benchSizes();
const gridSize = Number(process.env.BENCH_GRID_SIZE ?? Math.min(200_000, Math.max(...sizes)));
const dir = mkdtempSync(join(tmpdir(), 'dbfork-bench-anonymize-'));
const key = writeKey(dir);
const loadBefore = loadavg();

type Outcome = { status: 'ok'; figures: Figures } | { status: 'not available'; reason: string };

/** One `dbfork anonymize --in archive --out out.archive` run; `workers` undefined: no flag passed. */
async function anonymize(archive: GeneratedArchive, rules: number, workers?: number): Promise<Outcome> {
  const out = join(dir, 'out.archive');
  const args = [cli, 'anonymize', '--in', archive.path, '--out', out];
  args.push('--rules', writeRules(dir, 'bench', rules), '--key-file', key);
  if (workers !== undefined) args.push('--workers', String(workers));
  const m = await measure(process.execPath, args);
  rmSync(out, { force: true });
  if (m.exitCode !== 0 && /unknown option '--workers'/.test(m.stderr)) {
    // one worker is the CLI's behaviour without the option: measure that configuration without it
    if (workers === 1) return anonymize(archive, rules);
    return { status: 'not available', reason: 'this CLI has no --workers option' };
  }
  if (m.exitCode !== 0) throw new Error(`dbfork anonymize failed: ${m.stderr}`);
  return { status: 'ok', figures: figures(m, archive.documents, archive.bsonBytes) };
}

/** In-process bson deserialize + serialize of `count` documents, best of 3: MB/s of input BSON. */
function bsonBaseline(count: number): number {
  const docs = Array.from({ length: count }, (_, i) => serialize(benchDocument(i)));
  const bytes = docs.reduce((n, d) => n + d.length, 0);
  let best = Number.POSITIVE_INFINITY;
  for (let rep = 0; rep < 4; rep++) {
    const start = process.hrtime.bigint();
    for (const d of docs) serialize(deserialize(d, { promoteValues: false, bsonRegExp: true }));
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    if (rep > 0) best = Math.min(best, s); // rep 0 is the warm-up
  }
  return +(bytes / 1e6 / best).toFixed(1);
}

try {
  const scale: Record<string, unknown>[] = [];
  for (const count of sizes) {
    const archive = await generatedArchive(count);
    const r = await anonymize(archive, 3);
    if (r.status !== 'ok') throw new Error('anonymize without --workers cannot be unavailable');
    scale.push({ documents: count, bsonBytes: archive.bsonBytes, rules: 3, ...r.figures });
    console.log(`anonymize ${count} docs, 3 rules: ${JSON.stringify(r.figures)}`);
  }
  const gridArchive = await generatedArchive(gridSize);
  const grid: Record<string, unknown>[] = [];
  for (const rules of [0, 3, 10])
    for (const workers of [1, 2]) {
      const r = await anonymize(gridArchive, rules, workers);
      grid.push({
        documents: gridSize,
        rules,
        workers,
        status: r.status,
        ...(r.status === 'ok' ? r.figures : { reason: r.reason }),
      });
      console.log(
        `grid ${rules} rules × ${workers} workers: ${r.status === 'ok' ? `${r.figures.mbPerSecond} MB/s` : r.status}`,
      );
    }
  const bsonMBs = bsonBaseline(Math.min(gridSize, 200_000));
  console.table(scale);
  console.table(grid);
  console.log(`bson deserialize + serialize (in process): ${bsonMBs} MB/s`);
  writeFileSync(
    resultsFile('anonymize'),
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
          'dbfork anonymize --in <generated archive> --out <archive> --rules <file> --key-file <file>, through the CLI (process start, archive read and write included).',
          'Grid rows pass --workers N; "not available" when the CLI rejects the option (one worker is then measured without it).',
          'bsonDeserializeSerializeMBs: in-process bson deserialize + serialize of the same documents, one core, best of 3.',
        ],
        bsonDeserializeSerializeMBs: bsonMBs,
        scale,
        grid,
      },
      null,
      2,
    ) + '\n',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
