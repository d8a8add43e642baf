import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { buildReport, throughputChartSpec, type BenchResults } from './report.js';

/** Read every `<bench>.json` of `resultsDir` into {@link BenchResults} (keyed by bench name). */
export function readResults(resultsDir: string): BenchResults {
  const results: Record<string, unknown> = {};
  if (!existsSync(resultsDir)) return results;
  for (const f of readdirSync(resultsDir)
    .filter((f) => f.endsWith('.json'))
    .sort())
    results[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as unknown;
  return results;
}

/** Render a vega-lite spec to SVG text with vega (headless, no canvas). */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Write `summary.md` and `throughput.svg` into `resultsDir` from its JSON files only (nothing is
 * measured). `label` is printed at the top of the summary (e.g. "Check run: 10k documents, loaded machine").
 */
export async function writeReport(resultsDir: string, label?: string): Promise<void> {
  const results = readResults(resultsDir);
  writeFileSync(join(resultsDir, 'summary.md'), buildReport(results, label));
  writeFileSync(join(resultsDir, 'throughput.svg'), (await renderSvg(throughputChartSpec(results))) + '\n');
}
