/**
 * The benchmark report as pure functions of the JSON results (bench/results/*.json): the summary
 * table (markdown) and the vega-lite spec of the throughput chart. No I/O, no measuring: `npm run
 * bench -- --report` reads the files, calls these, and writes bench/results/summary.md and
 * throughput.svg.
 */

/** The parsed results files, by bench name (`snapshot-create`, `restore`, …); absent when not run. */
export type BenchResults = Readonly<Record<string, unknown>>;

/** A figure of one tool at one size (bench/lib/figures.ts). */
interface Side {
  readonly wallMs?: number;
  readonly cpuSecondsPerGB?: number;
  readonly peakRssMiB?: number;
  readonly microsPerDocument?: number;
  readonly mbPerSecond?: number;
}

interface Goal {
  readonly op: '>=' | '<=';
  readonly goal: number;
  /** Release gate, looser than the goal; a miss within the gate is reported as such. */
  readonly gate?: number;
  /** Also required: the dbfork figure in MiB at most this. */
  readonly maxMiB?: number;
  /** Reported for information only. */
  readonly info?: boolean;
}

/** One line of the summary table. */
export interface ReportLine {
  readonly measure: string;
  readonly dbfork: string;
  readonly peer: string;
  readonly ratio: number | null;
  readonly goal: string;
  readonly status: string;
}

const M = 1_000_000;

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}
function arr(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.map(obj).filter((x): x is Record<string, unknown> => x !== undefined) : [];
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
function side(v: unknown): Side | undefined {
  return obj(v) as Side | undefined;
}

/** `12000` → "12k", `1000000` → "1M". */
export function docs(n: number): string {
  return n >= M && n % M === 0 ? `${n / M}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

function goalText(g: Goal): string {
  const op = g.op === '>=' ? '≥' : '≤';
  let s = `${op} ${g.goal.toFixed(1)}×`;
  if (g.maxMiB !== undefined) s += ` and ≤ ${g.maxMiB} MiB`;
  if (g.gate !== undefined) s += ` (gate ${op} ${g.gate.toFixed(1)}×)`;
  if (g.info) s += ' (information)';
  return s;
}

function status(ratio: number | null, g: Goal, dbforkMiB?: number): string {
  if (ratio === null) return 'not measured';
  const meets = (limit: number) => (g.op === '>=' ? ratio >= limit : ratio <= limit);
  const capOk = g.maxMiB === undefined || (dbforkMiB !== undefined && dbforkMiB <= g.maxMiB);
  let s: string;
  if (meets(g.goal) && capOk) s = 'pass';
  else if (g.gate !== undefined && meets(g.gate) && capOk) s = 'miss (within gate)';
  else if (g.gate !== undefined) s = 'miss (below gate)';
  else s = 'miss';
  return g.info ? `${s} (information)` : s;
}

function line(
  measure: string,
  dbfork: number | undefined,
  peer: number | undefined,
  unit: string,
  g: Goal,
  missing = 'not measured',
): ReportLine {
  const ratio = dbfork !== undefined && peer !== undefined && peer !== 0 ? +(dbfork / peer).toFixed(2) : null;
  const show = (x: number | undefined) => (x === undefined ? missing : `${x} ${unit}`);
  return {
    measure,
    dbfork: show(dbfork),
    peer: show(peer),
    ratio,
    goal: goalText(g),
    status: ratio === null ? missing : status(ratio, g, unit === 'MiB' ? dbfork : undefined),
  };
}

/** Rows of a sized bench (`rows` with `documents`), by document count. */
function bySize(result: unknown, rowsKey = 'rows'): Map<number, Record<string, unknown>> {
  const out = new Map<number, Record<string, unknown>>();
  for (const r of arr(obj(result)?.[rowsKey])) {
    const n = num(r.documents);
    if (n !== undefined) out.set(n, r);
  }
  return out;
}

/** The largest size measured, preferring 1M. */
function largest(sizes: Map<number, unknown>): number | undefined {
  const keys = [...sizes.keys()];
  return keys.length === 0 ? undefined : Math.max(...keys);
}

function throughputRow(results: BenchResults, prefix: string): number | undefined {
  const rows = arr(obj(results['transform-throughput'])?.rows);
  return num(rows.find((r) => typeof r.name === 'string' && r.name.startsWith(prefix))?.mbPerSecond);
}

function gridRow(results: BenchResults, rules: number, workers: number): Record<string, unknown> | undefined {
  return arr(obj(results.anonymize)?.grid).find((r) => r.rules === rules && r.workers === workers);
}

/** The lines of the summary table, in the order of the report. */
export function reportLines(results: BenchResults): ReportLine[] {
  const lines: ReportLine[] = [];
  const bson = throughputRow(results, 'bson deserialize');
  const ttDocs = num(obj(results['transform-throughput'])?.documents);
  const tt = ttDocs === undefined ? '' : `, ${docs(ttDocs)} docs, MB/s in process`;
  lines.push(
    line(
      `Anonymize 10 rules, one worker vs bson deserialize + serialize${tt}`,
      throughputRow(results, 'anonymizeEvents, 10'),
      bson,
      'MB/s',
      { op: '>=', goal: 0.6, gate: 0.5 },
    ),
    line(
      `Anonymize 3 rules vs bson deserialize + serialize${tt}`,
      throughputRow(results, 'anonymizeEvents, 3'),
      bson,
      'MB/s',
      { op: '>=', goal: 1.0, gate: 0.9 },
    ),
  );
  const w1 = gridRow(results, 10, 1);
  const w2 = gridRow(results, 10, 2);
  const gridDocs = num(w1?.documents);
  const unavailable = w2?.status === 'not available' ? 'not available' : 'not measured';
  lines.push(
    line(
      `\`dbfork anonymize\` 10 rules: 2 workers (dbfork) vs 1 worker (peer)${gridDocs === undefined ? '' : `, ${docs(gridDocs)} docs, MB/s through the CLI`}`,
      w2?.status === 'ok' ? num(w2.mbPerSecond) : undefined,
      w1?.status === 'ok' ? num(w1.mbPerSecond) : undefined,
      'MB/s',
      { op: '>=', goal: 1.7, gate: 1.6 },
      unavailable,
    ),
  );
  const snap = bySize(results['snapshot-create']);
  const snapAt = largest(snap);
  const snapRow = snapAt === undefined ? undefined : snap.get(snapAt);
  lines.push(
    line(
      `Snapshot create raw vs \`mongodump --archive\`, CPU s/GB${snapAt === undefined ? '' : ` at ${docs(snapAt)} docs`}`,
      side(snapRow?.dbfork)?.cpuSecondsPerGB,
      side(snapRow?.mongodump)?.cpuSecondsPerGB,
      's/GB',
      { op: '<=', goal: 1.0, gate: 1.2 },
    ),
  );
  const rest = bySize(results.restore);
  const restAt = largest(rest);
  const restRow = restAt === undefined ? undefined : rest.get(restAt);
  lines.push(
    line(
      `Restore vs \`mongorestore --archive\`, CPU s/GB${restAt === undefined ? '' : ` at ${docs(restAt)} docs`}`,
      side(restRow?.dbfork)?.cpuSecondsPerGB,
      side(restRow?.mongorestore)?.cpuSecondsPerGB,
      's/GB',
      { op: '<=', goal: 1.0 },
    ),
    line(
      'Restore vs `mongorestore --archive`, wall ms at 200k docs',
      side(rest.get(200_000)?.dbfork)?.wallMs,
      side(rest.get(200_000)?.mongorestore)?.wallMs,
      'ms',
      { op: '<=', goal: 0.8, info: true },
    ),
  );
  const anon = bySize(results.anonymize, 'scale');
  const scaled: [
    string,
    Map<number, Record<string, unknown>>,
    (r: Record<string, unknown> | undefined) => Side | undefined,
  ][] = [
    ['Snapshot create raw', snap, (r) => side(r?.dbfork)],
    ['`dbfork anonymize` file → file, 3 rules', anon, (r) => r as Side | undefined],
    ['Restore', rest, (r) => side(r?.dbfork)],
  ];
  for (const [name, rows, pick] of scaled)
    lines.push(
      line(
        `${name}: peak RSS at 1M (dbfork) vs 10k (peer)`,
        pick(rows.get(M))?.peakRssMiB,
        pick(rows.get(10_000))?.peakRssMiB,
        'MiB',
        { op: '<=', goal: 1.2, maxMiB: 256 },
      ),
    );
  for (const [name, rows, pick] of scaled)
    lines.push(
      line(
        `${name}: time per document at 1M (dbfork) vs 200k (peer)`,
        pick(rows.get(M))?.microsPerDocument,
        pick(rows.get(200_000))?.microsPerDocument,
        'µs',
        { op: '<=', goal: 1.2 },
      ),
    );
  return lines;
}

/** Sizes and dates of each results file, for the report header. */
function provenance(results: BenchResults): string[] {
  const out: string[] = [];
  for (const [name, r] of Object.entries(results)) {
    const o = obj(r);
    if (!o) continue;
    const sizes = Array.isArray(o.sizes)
      ? (o.sizes as unknown[]).map((n) => docs(Number(n))).join(', ')
      : num(o.documents) !== undefined
        ? docs(num(o.documents)!)
        : [...bySize(r).keys()].map(docs).join(', ');
    const load = obj(o.loadAverage);
    const loadText = Array.isArray(load?.before)
      ? `, load average before ${(load.before as number[]).join(' ')}`
      : '';
    out.push(
      `- \`${name}.json\`: measured ${String(o.measuredAt ?? 'at an unknown time')}, sizes ${sizes || 'n/a'}${loadText}`,
    );
  }
  return out;
}

function cell(s: string | number | null): string {
  return String(s ?? '—').replace(/\|/g, '\\|');
}

/**
 * The summary in markdown: a header (what was measured, when, at which sizes; `label` says what kind
 * of run it was, e.g. "check run on a loaded machine") and ONE table: measure, dbfork, the peer tool,
 * the ratio, the goal, pass/miss.
 */
export function buildReport(results: BenchResults, label?: string): string {
  const out = ['# Benchmark summary', ''];
  if (label) out.push(`**${label}**`, '');
  out.push(
    'Generated by `npm run bench -- --report` from bench/results/*.json (no benchmark is rerun). Ratios are dbfork / peer; for memory and scale lines the "peer" is dbfork itself at the smaller size.',
    '',
    ...provenance(results),
    '',
    '| measure | dbfork | peer | ratio | goal | result |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const l of reportLines(results))
    out.push(
      `| ${[l.measure, l.dbfork, l.peer, l.ratio === null ? '—' : `${l.ratio}×`, l.goal, l.status].map(cell).join(' | ')} |`,
    );
  out.push('', 'Chart: [throughput.svg](throughput.svg) (`dbfork anonymize` MB/s by rules × workers).', '');
  return out.join('\n');
}

/** The vega-lite spec of the anonymizer throughput chart (MB/s by rules × workers, from anonymize.json). */
export function throughputChartSpec(results: BenchResults): Record<string, unknown> {
  const grid = arr(obj(results.anonymize)?.grid).filter(
    (r) => r.status === 'ok' && num(r.mbPerSecond) !== undefined,
  );
  const n = num(grid[0]?.documents);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `dbfork anonymize, archive → archive${n === undefined ? '' : ` (${docs(n)} documents)`}`,
    width: 360,
    height: 220,
    data: {
      values: grid.map((r) => ({
        rules: `${String(r.rules)} rules`,
        workers: `${String(r.workers)} worker${r.workers === 1 ? '' : 's'}`,
        mbPerSecond: r.mbPerSecond,
      })),
    },
    mark: 'bar',
    encoding: {
      x: { field: 'rules', type: 'nominal', sort: ['0 rules', '3 rules', '10 rules'], title: 'rules' },
      xOffset: { field: 'workers', type: 'nominal' },
      y: { field: 'mbPerSecond', type: 'quantitative', title: 'MB/s of input BSON' },
      color: { field: 'workers', type: 'nominal', title: 'workers' },
    },
  };
}
