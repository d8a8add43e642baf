/**
 * Records the outcome of one reliability scenario so that `scripts/reliability-report.mjs` can build the
 * table in `docs/reliability.md` from what the suite actually saw.
 *
 * Each call appends one JSON line to `<repo>/.reliability/results.jsonl` (override the folder with
 * `DBFORK_RELIABILITY_DIR`). A scenario recorded several times (one line per run) is summed by the report.
 *
 * Shape of a line: `{ group, scenario, runs, survived, nothingLost, detail?, at }` where `group` is one of
 * the table's sections, `runs` how many cases the scenario ran, `survived` how many ended as expected (a
 * completed run or the expected clean error), and `nothingLost` whether every case kept its data.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type ReliabilityGroup = 'network' | 'store' | 'concurrency' | 'fuzz' | 'fidelity' | 'secrets';

export interface ScenarioOutcome {
  readonly group: ReliabilityGroup;
  readonly scenario: string;
  readonly runs: number;
  readonly survived: number;
  readonly nothingLost: boolean;
  /** Free text for the table's last column, such as "markers found: 0" or "rejected before write: 10000". */
  readonly detail?: string;
}

/** Appends `outcome` to the results file. Never throws on a read-only checkout: the table is a by-product. */
export function recordScenario(outcome: ScenarioOutcome): void {
  const dir = process.env.DBFORK_RELIABILITY_DIR ?? join(process.cwd(), '.reliability');
  try {
    mkdirSync(dir, { recursive: true });
    appendFileSync(
      join(dir, 'results.jsonl'),
      `${JSON.stringify({ ...outcome, at: new Date().toISOString() })}\n`,
    );
  } catch {
    // The assertion in the test is what matters; a missing table line is visible in the report.
  }
}
