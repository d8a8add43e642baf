#!/usr/bin/env node
// `npm test`: build, bring the real test servers up if they are not running, run every test (unit and
// integration) with vitest, stop the servers it started, and print one closing line
// "tests: N passed, N failed, N skipped". Extra arguments go to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const servers = join(root, 'scripts', 'test-servers');
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

if (!existsSync(join(root, 'node_modules'))) {
  const install = run('npm', ['ci', '--no-audit', '--no-fund']);
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const build = run('npx', ['tsc', '-p', 'tsconfig.build.json']);
if (build.status !== 0) process.exit(build.status ?? 1);

const alreadyUp = run(servers, ['status'], { stdio: 'ignore' }).status === 0;
if (!alreadyUp) {
  const up = run(servers, ['up']);
  if (up.status !== 0) {
    console.error('test servers could not be started; see the log above');
    process.exit(up.status ?? 1);
  }
}

const report = join(root, 'node_modules', '.cache', 'dbfork-vitest.json');
rmSync(report, { force: true });
const vitest = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);

if (!alreadyUp && !process.env.DBFORK_KEEP_SERVERS) run(servers, ['down']);

if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
}
process.exit(vitest.status ?? 1);
