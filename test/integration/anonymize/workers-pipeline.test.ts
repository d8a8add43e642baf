import { readFileSync, readdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchDocument } from '../../../bench/lib/dataset.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';
import { tenRules } from './ten-rules.js';

const servers = testServers();
const ENV = { DBFORK_ANONYMIZATION_KEY: 'integration-test-key-0123456789', DBFORK_WORKERS_START_AFTER: '0' };
const DOCUMENTS = 3000;

/** The bench's 10 rules for `customers`, `username` unique with a small output space (collisions). */
const RULES = tenRules("{ transform: hash, length: 4, alphabet: '0123456789ab', unique: true }");

describe('--workers in snapshot create and restore: the same data as one worker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-workers-pipeline-'));
  const store = join(dir, 'store');
  const rules = join(dir, 'rules.yaml');
  const prod = uniqueDbName('wk_prod');
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  const targets: string[] = [];

  beforeAll(async () => {
    writeFileSync(rules, RULES);
    const docs = Array.from({ length: DOCUMENTS }, (_, i) => benchDocument(i));
    await source.db(prod).collection('customers').insertMany(docs);
  });
  afterAll(async () => {
    await source.db(prod).dropDatabase();
    for (const db of targets) await target.db(db).dropDatabase();
    await Promise.all([source.close(), target.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const manifestCollections = (name: string): unknown => {
    const [id] = readdirSync(join(store, name)).filter((f) => f !== 'latest');
    const manifest = JSON.parse(readFileSync(join(store, name, id!, 'manifest.json'), 'utf8')) as {
      collections: unknown;
    };
    return manifest.collections;
  };

  it('snapshot create --rules: counts, SHA-256 and CRC-64 identical for 1 and 2 workers', async () => {
    for (const workers of ['1', '2']) {
      const res = await runCli(
        [
          'snapshot',
          'create',
          '--uri',
          servers.sourceUri,
          '--db',
          prod,
          '--name',
          `w${workers}`,
          '--store',
          store,
        ].concat(['--rules', rules, '--workers', workers]),
        { env: ENV },
      );
      expect(res.code, res.stderr).toBe(0);
    }
    const one = manifestCollections('w1');
    // the plan records the count it runs with
    const dry = await runCli(
      ['--json', 'snapshot', 'create', '--uri', servers.sourceUri, '--db', prod, '--store', store].concat([
        '--rules',
        rules,
        '--workers',
        '2',
        '--dry-run',
      ]),
      { env: ENV },
    );
    expect(dry.stdout).toContain('"dropOplog":false,"workers":2');
    expect(one).toMatchObject([{ documents: DOCUMENTS }]);
    expect(manifestCollections('w2')).toEqual(one);
  });

  it('restore --rules --workers 2 loads the same documents as --workers 1', async () => {
    const raw = join(dir, 'raw');
    const capture = await runCli(
      [
        'snapshot',
        'create',
        '--uri',
        servers.sourceUri,
        '--db',
        prod,
        '--name',
        'raw',
        '--store',
        raw,
      ].concat(['--no-anonymize', '--format', 'archive']),
      { env: ENV },
    );
    expect(capture.code, capture.stderr).toBe(0);
    const loaded: unknown[][] = [];
    for (const workers of ['1', '2']) {
      const db = `${uniqueDbName('wk')}_pr_${workers}`;
      targets.push(db);
      const res = await runCli(
        ['restore', '--snapshot', 'raw@latest', '--store', raw, '--to', servers.targetUri, '--db', db].concat(
          ['--rules', rules, '--workers', workers],
        ),
        { env: ENV },
      );
      expect(res.code, res.stderr).toBe(0);
      loaded.push(await target.db(db).collection('customers').find().sort({ _id: 1 }).toArray());
    }
    expect(loaded[0]).toHaveLength(DOCUMENTS);
    expect(loaded[1]).toEqual(loaded[0]);
    expect(new Set(loaded[1]!.map((d) => (d as { username: string }).username)).size).toBe(DOCUMENTS);
  });
});
