import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/free-port.js';
import { recordScenario } from '../../helpers/reliability-record.js';
import { runCli, type CliResult } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';
import { TIMEOUT } from './reliability-sizes.js';

const servers = testServers();
// FerretDB checks PLAIN credentials against nothing: any password connects, so the marker is used for real
const PASSWORD = 'PwMarkerQ7z3Xk';
const KEY = 'KeyMarkerR4y9Wd2';
const MARKERS = [PASSWORD, KEY];

/** `mongodb://user:<marker>@host:port/…` with PLAIN authentication, from a test server's URI. */
function withPassword(uri: string): string {
  const url = uri.replace('mongodb://', `mongodb://dbfork:${PASSWORD}@`);
  return `${url}${url.includes('?') ? '&' : '?'}authMechanism=PLAIN&authSource=%24external`;
}

function filesUnder(root: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root)) {
    const path = join(root, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

describe(
  'secrets: a URI password and an anonymization key never appear in any output',
  { timeout: TIMEOUT },
  () => {
    const db = uniqueDbName('rel_secret');
    const targetDb = `${uniqueDbName('rel_secret_t')}_pr_1`;
    const dir = mkdtempSync(join(tmpdir(), 'dbfork-rel-secret-'));
    const store = join(dir, 'store');
    const out = join(dir, 'out');
    const rules = join(dir, 'rules.yaml');
    const keyFile = join(dir, 'key');
    const source = new MongoClient(servers.sourceUri);
    const target = new MongoClient(servers.targetUri);
    const src = withPassword(servers.sourceUri);
    const dst = withPassword(servers.targetUri);
    const TARGET_DBS = (): string[] => [targetDb, `${targetDb}2`, `${targetDb}3`, `${targetDb}4`];
    const seen: { label: string; res: CliResult }[] = [];
    const env = { DBFORK_ANONYMIZATION_KEY: KEY, DBFORK_STORE: store };
    const run = async (label: string, args: string[], expectOk: boolean): Promise<CliResult> => {
      const res = await runCli(['--json', '--log-level', 'trace', ...args], { env });
      seen.push({ label, res });
      if (expectOk) expect(res.code, `${label}: ${res.stderr}`).toBe(0);
      else expect(res.code, `${label} must fail: ${res.stdout}`).not.toBe(0);
      expect(res.code, `${label}: ${res.stderr}`).not.toBe(70);
      return res;
    };

    beforeAll(async () => {
      mkdirSync(out);
      await source
        .db(db)
        .collection('users')
        .insertMany(
          Array.from({ length: 40 }, (_, i) => ({ i, email: `u${i}@example.com`, name: `User ${i}` })),
        );
      writeFileSync(
        rules,
        `version: 1\nrules:\n  ${db}.users:\n    fields:\n      email: { transform: hash_email }\n      name: { transform: fake, kind: full_name }\n    keep: [_id, i]\n`,
      );
      writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
    });
    afterAll(async () => {
      await source.db(db).dropDatabase();
      for (const t of TARGET_DBS()) await target.db(t).dropDatabase();
      await source.close();
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('every command, in success and failure paths, with --json --log-level trace: markers found 0', async () => {
      const dead = `mongodb://dbfork:${PASSWORD}@127.0.0.1:${await freePort()}/?directConnection=true&authMechanism=PLAIN&authSource=%24external`;
      const quick = ['--server-selection-timeout', '500ms'];
      const create = (name: string, ...more: string[]): string[] => [
        'snapshot',
        'create',
        '--uri',
        src,
        '--db',
        db,
        '--name',
        name,
        ...more,
      ];
      // independent runs go in parallel, phase by phase (each phase needs the one before)
      // (doctor's success path lists every database with its size: on a shared FerretDB that takes
      // minutes, so only its failure path runs here)
      await Promise.all([
        run('doctor unreachable', [...quick, 'doctor', '--uri', dead], false),
        run('scan live', ['scan', '--uri', src, '--db', db, '--rules', rules], true),
        run('snapshot create dry-run', [...create('prod', '--rules', rules, '--dry-run')], true),
        run('snapshot create', [...create('prod', '--rules', rules)], true),
        run('snapshot create key file', [...create('keyed', '--rules', rules, '--key-file', keyFile)], true),
        run(
          'snapshot create plan-out with a password',
          [...create('prod', '--rules', rules, '--plan-out', join(dir, 'plan.json'))],
          false,
        ),
        run(
          'snapshot create unreachable',
          [...quick, 'snapshot', 'create', '--uri', dead, '--db', db, '--name', 'x', '--rules', rules],
          false,
        ),
        run(
          'snapshot create no rules file',
          [...create('prod', '--rules', join(dir, 'missing.yaml'))],
          false,
        ),
        run('snapshot create raw', [...create('raw', '--no-anonymize', '--format', 'archive')], true),
        run(
          'backup run refused',
          ['backup', 'run', '--uri', src, '--db', db, '--name', 'bk', '--store', join(dir, 'backups')],
          false,
        ),
        run('relations suggest', ['relations', 'suggest', '--uri', src, '--db', db], true),
        run('subset check', ['subset', 'check', '--uri', src, '--db', db], false),
      ]);
      const listed = await runCli(['--json', 'snapshot', 'list', '--name', 'raw'], { env });
      const rawId = (JSON.parse(listed.stdout.trim()).result as { id: string }[])[0]!.id;
      const rawFile = filesUnder(join(store, 'raw', rawId)).find((f) => f.includes('data.archive'))!;
      const archive = join(out, 'raw.archive');
      writeFileSync(archive, readFileSync(rawFile));
      await Promise.all([
        run('snapshot list', ['snapshot', 'list'], true),
        run('snapshot show', ['snapshot', 'show', 'prod'], true),
        run('snapshot verify', ['snapshot', 'verify', 'prod'], true),
        run('restore', ['restore', '--snapshot', 'prod', '--to', dst, '--db', targetDb], true),
        run(
          'restore unreachable',
          [...quick, 'restore', '--snapshot', 'prod', '--to', dead, '--db', targetDb],
          false,
        ),
        run(
          'restore guard refuses',
          ['restore', '--snapshot', 'prod', '--to', dst, '--db', 'production'],
          false,
        ),
        run(
          'refresh',
          [
            'refresh',
            '--from',
            src,
            '--db',
            db,
            '--to',
            dst,
            '--target-db',
            `${targetDb}2`,
            '--name',
            'fresh',
            '--rules',
            rules,
          ],
          true,
        ),
        run(
          'refresh direct',
          [
            'refresh',
            '--from',
            src,
            '--db',
            db,
            '--to',
            dst,
            '--target-db',
            `${targetDb}3`,
            '--direct',
            '--rules',
            rules,
          ],
          true,
        ),
        run('archive inspect', ['archive', 'inspect', archive], true),
        run(
          'anonymize',
          ['anonymize', '--in', archive, '--out', join(out, 'anon.archive'), '--rules', rules],
          true,
        ),
        run(
          'anonymize bad input',
          ['anonymize', '--in', rules, '--out', join(out, 'bad.archive'), '--rules', rules],
          false,
        ),
        run(
          'restore dump with rules',
          ['restore', '--in', archive, '--to', dst, '--db', `${targetDb}4`, '--rules', rules],
          true,
        ),
      ]);
      await Promise.all([
        run('snapshot prune', ['snapshot', 'prune', '--keep-last', '1'], true),
        run('snapshot delete', ['snapshot', 'delete', `raw@${rawId}`], true),
      ]);

      // everything the runs left: stdout, stderr, every file in the store and output folders, the target
      const texts: { where: string; text: string }[] = seen.flatMap(({ label, res }) => [
        { where: `${label}: stdout`, text: res.stdout },
        { where: `${label}: stderr`, text: res.stderr },
      ]);
      for (const file of filesUnder(dir)) {
        if (file === keyFile) continue;
        texts.push({ where: file, text: readFileSync(file).toString('latin1') });
      }
      for (const t of TARGET_DBS()) {
        for (const name of await target.db(t).listCollections({}, { nameOnly: true }).toArray()) {
          const docs = await target.db(t).collection(name.name).find().toArray();
          texts.push({ where: `target ${t}.${name.name}`, text: JSON.stringify(docs) });
        }
      }
      // the driver's own error for the unreachable server was passed through (scrubbed)
      expect(seen.find((s) => s.label === 'doctor unreachable')!.res.stdout).toContain('SOURCE_UNREACHABLE');
      const found = texts.filter(({ text }) => MARKERS.some((m) => text.includes(m)));
      expect(found.map((f) => f.where)).toEqual([]);
      // the runs did use the secrets: the anonymized snapshot's emails are hashed, the target holds it
      expect(texts.filter((t) => t.where.endsWith('.snapshot_metadata'))).toHaveLength(4);
      recordScenario({
        group: 'secrets',
        scenario:
          'URI password and anonymization key in every command (success and failure), --json --log-level trace',
        runs: seen.length,
        survived: seen.length,
        nothingLost: true,
        detail: `markers found: ${found.length} in ${texts.length} outputs, files and collections`,
      });
    });
  },
);
