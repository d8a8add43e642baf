#!/usr/bin/env node
// The reliability table of docs/reliability.md, from what the suite saw.
//
//   node scripts/reliability-report.mjs          render .reliability/results.jsonl into docs/reliability.md
//   node scripts/reliability-report.mjs --run    build, clear the results, run every reliability test at
//                                                full sizes (DBFORK_RELIABILITY_FULL=1), then render
//   node scripts/reliability-report.mjs --run --reduced   the same at the reduced sizes of `npm test`
//   node scripts/reliability-report.mjs --check  exit 1 when a recorded scenario did not survive
//
// Each test calls recordScenario (test/helpers/reliability-record.ts), one JSON line per scenario run:
// { group, scenario, runs, survived, nothingLost, detail?, at }. Lines of one scenario are summed; the
// table is written between the markers below, the rest of the page is left as it is. The test servers
// must be up (`scripts/test-servers up`); this script starts and stops nothing but the tests' own tools.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = process.env.DBFORK_RELIABILITY_DIR ?? join(root, '.reliability');
const results = join(dir, 'results.jsonl');
const page = join(root, 'docs', 'reliability.md');
const START = '<!-- reliability-table:start (written by scripts/reliability-report.mjs) -->';
const END = '<!-- reliability-table:end -->';
const GROUPS = [
  ['network', 'Network faults (Toxiproxy between dbfork and the servers)', 'survived'],
  ['store', 'Store faults', 'clean'],
  ['concurrency', 'Concurrent runs', 'correct'],
  ['secrets', 'Secrets', 'clean'],
  ['fuzz', 'Fuzzed input', 'rejected as expected'],
  ['fidelity', 'Data fidelity and document validation', 'as expected'],
];
const args = process.argv.slice(2);

if (args.includes('--run')) {
  const step = (cmd, argv, env = {}) => {
    const res = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    return res.status ?? 1;
  };
  if (step('npx', ['tsc', '-p', 'tsconfig.build.json']) !== 0) process.exit(1);
  rmSync(results, { force: true });
  const full = args.includes('--reduced') ? {} : { DBFORK_RELIABILITY_FULL: '1' };
  // every test file whose path holds "reliability", unit and integration
  const status = step('npx', ['vitest', 'run', 'reliability'], full);
  await render();
  process.exit(status);
}
await render();
if (args.includes('--check')) process.exit(load().some((s) => s.survived < s.runs || !s.nothingLost) ? 1 : 0);

/** The recorded lines, summed per (group, scenario), in first-seen order. */
function load() {
  if (!existsSync(results)) return [];
  const byKey = new Map();
  for (const line of readFileSync(results, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    const key = `${r.group}\u0000${r.scenario}`;
    const seen = byKey.get(key);
    if (seen) {
      seen.runs += r.runs;
      seen.survived += r.survived;
      seen.nothingLost &&= r.nothingLost;
      seen.detail = r.detail ?? seen.detail;
      seen.at = r.at;
    } else {
      byKey.set(key, { ...r });
    }
  }
  return [...byKey.values()];
}

function cell(text) {
  return String(text ?? '')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');
}

async function render() {
  const rows = load();
  const lines = [START, ''];
  if (rows.length === 0) {
    lines.push('_No results yet: run `npm run reliability`._');
  } else {
    const totals = [];
    for (const [group, title, word] of GROUPS) {
      const mine = rows.filter((r) => r.group === group);
      if (mine.length === 0) continue;
      const runs = mine.reduce((n, r) => n + r.runs, 0);
      const ok = mine.reduce((n, r) => n + r.survived, 0);
      totals.push(`${title.split(' (')[0].toLowerCase()}: ${ok}/${runs} ${word}`);
    }
    const last = rows
      .map((r) => r.at)
      .sort()
      .at(-1);
    lines.push(`Summary: ${totals.join('; ')}. Last recorded ${last}.`, '');
    lines.push('| group | scenario | runs | outcomes | nothing lost |', '| --- | --- | --- | --- | --- |');
    for (const [group, title] of GROUPS) {
      for (const r of rows.filter((x) => x.group === group)) {
        const outcome = `${r.survived}/${r.runs} as expected${r.detail ? `: ${r.detail}` : ''}`;
        lines.push(
          `| ${cell(title)} | ${cell(r.scenario)} | ${r.runs} | ${cell(outcome)} | ${r.nothingLost ? 'yes' : 'no'} |`,
        );
      }
    }
    for (const r of rows.filter((x) => !GROUPS.some(([g]) => g === x.group))) {
      lines.push(
        `| ${cell(r.group)} | ${cell(r.scenario)} | ${r.runs} | ${r.survived}/${r.runs} | ${r.nothingLost ? 'yes' : 'no'} |`,
      );
    }
  }
  lines.push('', END);
  const text = readFileSync(page, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${page} lacks the table markers`);
  const next = text.slice(0, from) + lines.join('\n') + text.slice(to + END.length);
  // formatted as the repository's prettier formats it, so `prettier --check` stays clean
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(page)) ?? {};
  writeFileSync(page, await prettier.format(next, { ...options, filepath: page }));
  console.log(`reliability: ${rows.length} scenario(s) written to docs/reliability.md`);
}
