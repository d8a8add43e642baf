#!/usr/bin/env node
// `npm run demo`: the main job, end to end, on the local demo servers and data.
//  1. install and build; start the real local servers (built once, cached by version);
//  2. load ../shared/datasets/atlas-sample-dump into the source server as "production"
//     (the real mongorestore, then the dump's indexes, as production has them);
//  3. `dbfork refresh` each database into a per-PR target database with examples/atlas-sample.rules.yaml
//     (anonymized at capture; the snapshot is kept in .demo/snapshots);
//  4. print the verification summary, a few anonymized documents next to their originals, the counts
//     of source and target side by side, and `dbfork scan --strict` of the target (must find nothing).
// Exits non-zero if any count differs or the scan finds personal data.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataset = join(root, '..', 'shared', 'datasets', 'atlas-sample-dump');
const rules = join(root, 'examples', 'atlas-sample.rules.yaml');
const cli = join(root, 'dist', 'cli', 'main.js');
const bold = (t) => (process.stdout.isTTY ? `\u001b[1m${t}\u001b[0m` : t);
const step = (title) => console.log(`\n${bold(`== ${title}`)}`);
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`demo: ${[cmd, ...args].join(' ').slice(0, 160)} failed (exit ${r.status})`);
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

step('start the local servers: FerretDB "production" and "staging", moto, fake-gcs-server');
run(join(root, 'scripts', 'test-servers'), ['up']);
const env = Object.fromEntries(
  readFileSync(join(root, '.test-servers.env'), 'utf8')
    .split('\n')
    .map((l) => /^export (\w+)='(.*)'$/.exec(l.trim()))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);
const SOURCE = env.DBFORK_TEST_SOURCE_URI;
const TARGET = env.DBFORK_TEST_TARGET_URI;

const { MongoClient, EJSON } = await import('mongodb').then(async (m) => ({
  ...m,
  EJSON: (await import('bson')).EJSON,
}));
const source = new MongoClient(SOURCE);
const target = new MongoClient(TARGET);
const databases = readdirSync(dataset)
  .filter((d) => !d.startsWith('.'))
  .sort();
const targets = Object.fromEntries(databases.map((db) => [db, `${db.replace(/^sample_/, '')}_pr_1`]));

try {
  step('load the Atlas sample dump into "production" with the real mongorestore');
  run(join(env.DBFORK_TEST_TOOLS_BIN, 'mongorestore'), [
    `--uri=${SOURCE}`,
    `--dir=${dataset}`,
    '--drop',
    '--noIndexRestore', // FerretDB v1 rejects the `ns` option mongorestore adds to index specs
    '--quiet',
  ]);
  for (const db of databases) {
    for (const file of readdirSync(join(dataset, db)).filter((f) => f.endsWith('.metadata.json'))) {
      const coll = file.replace(/\.metadata\.json$/, '');
      const meta = EJSON.parse(readFileSync(join(dataset, db, file), 'utf8'), { relaxed: false });
      for (const { ns: _ns, v: _v, ...spec } of meta.indexes ?? []) {
        if (spec.name === '_id_') continue;
        try {
          await source
            .db(db)
            .collection(coll)
            .createIndex(spec.key, { ...spec, key: undefined });
          console.log(`  index ${db}.${coll}.${spec.name}`);
        } catch (error) {
          console.log(
            `  index ${db}.${coll}.${spec.name} not supported by this server: ${error.message.split('\n')[0]}`,
          );
        }
      }
    }
  }

  // the anonymization key: a real secret, kept out of the repository (.demo is git-ignored)
  const keyFile = join(root, '.demo', 'anonymization.key');
  if (!existsSync(keyFile)) {
    mkdirSync(join(root, '.demo'), { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  }

  for (const db of databases) {
    step(`dbfork refresh ${db} → ${targets[db]} (anonymized at capture, verified, swapped in)`);
    run(process.execPath, [
      cli,
      'refresh',
      '--from',
      SOURCE,
      '--db',
      db,
      '--to',
      TARGET,
      '--target-db',
      targets[db],
      '--rules',
      rules,
      '--key-file',
      keyFile,
      '--store',
      join(root, '.demo', 'snapshots'),
    ]);
  }

  step('a few documents: production → staging');
  const show = async (db, coll, fields) => {
    const originals = await source.db(db).collection(coll).find({}).sort({ _id: 1 }).limit(2).toArray();
    for (const original of originals) {
      const copy = await target.db(targets[db]).collection(coll).findOne({ _id: original._id });
      console.log(`  ${db}.${coll} _id ${String(original._id)}`);
      for (const f of fields) {
        const before = JSON.stringify(original[f] ?? null);
        const after = JSON.stringify(copy?.[f] ?? null);
        console.log(`    ${f.padEnd(9)} ${before.slice(0, 58).padEnd(60)} → ${after.slice(0, 60)}`);
      }
    }
  };
  await show('sample_analytics', 'customers', ['username', 'name', 'email', 'address', 'birthdate']);
  await show('sample_mflix', 'users', ['name', 'email', 'password']);

  step('counts: production vs staging');
  let mismatches = 0;
  for (const db of databases) {
    for (const { name } of await source.db(db).listCollections({}, { nameOnly: true }).toArray()) {
      const a = await source.db(db).collection(name).countDocuments();
      const b = await target.db(targets[db]).collection(name).countDocuments();
      if (a !== b) mismatches++;
      console.log(
        `  ${`${db}.${name}`.padEnd(30)} ${String(a).padStart(6)}  ${`${targets[db]}.${name}`.padEnd(26)} ${String(b).padStart(6)}  ${a === b ? 'ok' : 'MISMATCH'}`,
      );
    }
  }
  if (mismatches > 0) {
    console.error(`demo: ${mismatches} collection counts differ`);
    process.exitCode = 1;
  }

  step('dbfork scan --strict of staging with the rules: personal data or unclassified fields fail it');
  for (const db of databases) {
    // the rules name production's databases: --rules-db reads the staging copy as that database
    const r = spawnSync(
      process.execPath,
      [
        cli,
        'scan',
        '--uri',
        TARGET,
        '--db',
        targets[db],
        '--rules',
        rules,
        '--rules-db',
        db,
        '--strict',
        '--sample',
        '0',
      ],
      { cwd: root, stdio: 'inherit' },
    );
    if (r.status !== 0) process.exitCode = 1;
  }
} finally {
  await source.close();
  await target.close();
}
console.log(
  process.exitCode
    ? '\ndemo: FAILED (see above)'
    : '\ndemo: done. The servers keep running; stop them with: scripts/test-servers down',
);
