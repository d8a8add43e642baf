/**
 * `npm run bench [-- name…]`: run the benchmarks in bench/ (all, or those named). Each prints a table
 * and writes JSON to bench/results/. The real servers must be up (`scripts/test-servers up`) and the CLI
 * built (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../test/helpers/servers.js';

const wanted = process.argv.slice(2);
const all = readdirSync(join(REPO_ROOT, 'bench'))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''));
const chosen = wanted.length > 0 ? all.filter((b) => wanted.includes(b)) : all;
let failed = 0;
for (const bench of chosen) {
  console.log(`\n== bench ${bench}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', `${bench}.ts`)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
