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
 * Two more figures split the cost: `startup`, both tools on a 10-document database (what a run costs
 * before the first byte: module loading, connecting, listing), and `stages`, the per-byte stages of
 * the capture's writer measured in process on generated documents in 1000-document runs, as CPU
 * seconds per GB: assembling a run from a reply (one copy), the framing check, CRC-64, SHA-256, and
 * the whole archive writer into a discarding stream.
 *
 * Run: `npm run bench -- snapshot-create` (servers must be up: scripts/test-servers up).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { serialize } from 'bson';
import { Crc64, writeArchive } from '../src/archive/index.js';
import { DumpStreamGuard } from '../src/archive/dump-stream-guard.js';
import type { DumpDocumentRun, DumpRunEvent } from '../src/core/dump-event.js';
import { testServers, REPO_ROOT } from '../test/helpers/servers.js';
import { benchDocument, DATA_NS, ensureLoaded } from './lib/dataset.js';
import { benchSizes, figures, ratio, type Figures, resultsFile } from './lib/figures.js';
import { measure } from './lib/measure.js';
import { writeKey, writeRules } from './lib/rules.js';

const sizes = benchSizes();
const servers = testServers();
const cli = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const rows: Record<string, unknown>[] = [];
const loadBefore = loadavg();

/** CPU seconds per GB of `bytes` processed by `work` (repeated until about 0.5 GB went through). */
function cpuPerGB(bytes: number, work: () => void | Promise<void>): Promise<number> {
  return (async () => {
    await work(); // warm-up
    const rounds = Math.max(1, Math.ceil(5e8 / bytes));
    const start = process.cpuUsage();
    for (let i = 0; i < rounds; i++) await work();
    const used = process.cpuUsage(start);
    return +((used.user + used.system) / 1e6 / ((rounds * bytes) / 1e9)).toFixed(3);
  })();
}

/** The writer's per-byte stages, in process (see the header). */
async function stageCosts(): Promise<Record<string, number>> {
  const docs = Array.from({ length: 20_000 }, (_, i) => serialize(benchDocument(i)));
  const runs: DumpDocumentRun[] = [];
  for (let i = 0; i < docs.length; i += 1000) {
    const part = docs.slice(i, i + 1000);
    runs.push({ type: 'documents', namespace: DATA_NS, bson: Buffer.concat(part), count: part.length });
  }
  const bytes = runs.reduce((n, r) => n + r.bson.length, 0);
  const entry = { namespace: DATA_NS, collectionType: 'collection', metadataJson: '' };
  const prelude: DumpRunEvent = {
    type: 'prelude',
    serverVersion: '',
    toolVersion: '',
    concurrentCollections: 1,
    collections: [entry],
  };
  return {
    runAssemblyCopy: await cpuPerGB(bytes, () => {
      for (let i = 0; i < docs.length; i += 1000) Buffer.concat(docs.slice(i, i + 1000));
    }),
    framingCheck: await cpuPerGB(bytes, () => {
      const guard = new DumpStreamGuard();
      guard.accept(prelude);
      for (const run of runs) guard.accept(run);
    }),
    crc64: await cpuPerGB(bytes, () => {
      const crc = new Crc64();
      for (const run of runs) crc.update(run.bson);
    }),
    sha256: await cpuPerGB(bytes, () => {
      const sha = createHash('sha256');
      for (const run of runs) sha.update(run.bson);
      sha.digest();
    }),
    archiveWriterToDiscard: await cpuPerGB(bytes, async () => {
      async function* events(): AsyncGenerator<DumpRunEvent> {
        yield prelude;
        yield* runs;
        yield { type: 'end', namespace: DATA_NS };
      }
      await writeArchive(events(), new Writable({ write: (_c, _e, done) => done() }));
    }),
  };
}

const stages = await stageCosts();
console.log(`writer stages, CPU s/GB: ${JSON.stringify(stages)}`);

/** Both tools on a 10-document database: the cost of a run before its first document. */
async function startupCosts(): Promise<Record<string, number>> {
  const db = 'bench_customers_10';
  await ensureLoaded(servers.sourceUri, servers.toolsBin, db, 10);
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-bench-'));
  try {
    const best = async (cmd: string, args: readonly string[]): Promise<number> => {
      let least = Infinity;
      for (let i = 0; i < 3; i++) {
        rmSync(join(dir, 'store'), { recursive: true, force: true });
        const m = await measure(cmd, args);
        if (m.exitCode !== 0) throw new Error(`${cmd} failed: ${m.stderr}`);
        least = Math.min(least, m.cpuMs);
      }
      return least;
    };
    return {
      dbforkCpuMs: await best(process.execPath, [
        ...[cli, 'snapshot', 'create', '--uri', servers.sourceUri, '--db', db],
        ...['--store', join(dir, 'store'), '--no-anonymize'],
      ]),
      mongodumpCpuMs: await best(join(servers.toolsBin, 'mongodump'), [
        `--uri=${servers.sourceUri}`,
        `--db=${db}`,
        `--archive=${join(dir, 'mongodump.archive')}`,
        '--quiet',
      ]),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const startup = await startupCosts();
console.log(`start-up (10 documents), least CPU ms of 3: ${JSON.stringify(startup)}`);

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
      startup,
      stages,
      notes: [
        'dbfork: snapshot create --format archive into a file store; raw is --no-anonymize, "three rules" anonymizes name, email, street (every other field kept).',
        'mongodump --archive=<file> of the same database, same run.',
        'CPU s/GB: user + system CPU seconds of the process per 10^9 bytes of BSON; ratios are dbfork/mongodump.',
        'startup: least CPU ms of 3 runs of each tool on a 10-document database (cost before the first document).',
        "stages: the archive writer's per-byte stages in process, CPU s/GB, on 1000-document runs of the generated documents.",
      ],
      rows,
    },
    null,
    2,
  ) + '\n',
);
