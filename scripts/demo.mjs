#!/usr/bin/env node
// `npm run demo`: the main job on the local demo servers and data.
// Starts the real servers, loads ../shared/datasets/atlas-sample-dump into the source ("production")
// with the real mongorestore, and runs `dbfork doctor` on both servers.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataset = join(root, '..', 'shared', 'datasets', 'atlas-sample-dump');
const step = (title) => console.log(`\n\u001b[1m== ${title}\u001b[0m`);
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`demo: ${cmd} ${args[0] ?? ''} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
  return r;
};

if (!existsSync(dataset)) {
  console.error(`demo: the sample dataset is missing at ${dataset}`);
  process.exit(2);
}

step('install and build');
if (!existsSync(join(root, 'node_modules'))) run('npm', ['ci', '--no-audit', '--no-fund']);
run('npx', ['tsc', '-p', 'tsconfig.build.json']);

step('start the local servers (built once, cached by version)');
run(join(root, 'scripts', 'test-servers'), ['up']);
const env = Object.fromEntries(
  readFileSync(join(root, '.test-servers.env'), 'utf8')
    .split('\n')
    .map((l) => /^export (\w+)='(.*)'$/.exec(l.trim()))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);

step('load the Atlas sample dump into the source ("production") with the real mongorestore');
run(join(env.DBFORK_TEST_TOOLS_BIN, 'mongorestore'), [
  `--uri=${env.DBFORK_TEST_SOURCE_URI}`,
  `--dir=${dataset}`,
  '--drop',
  '--noIndexRestore', // FerretDB v1 rejects the `ns` option mongorestore adds to index specs
  '--quiet',
]);

const cli = join(root, 'dist', 'cli', 'main.js');
step('dbfork doctor: source');
run(process.execPath, [cli, 'doctor', '--uri', env.DBFORK_TEST_SOURCE_URI]);
step('dbfork doctor: target');
run(process.execPath, [cli, 'doctor', '--uri', env.DBFORK_TEST_TARGET_URI]);
console.log('\nThe servers keep running; stop them with: scripts/test-servers down');
