import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDump } from '../../../src/archive/index.js';
import { isDbforkError } from '../../../src/errors/index.js';
import { restoreToTarget } from '../../../src/pipeline/restore-to-target.js';
import { clientCommandRunner } from '../../../src/mongodb/command-runner.js';
import { checkTargetLive } from '../../../src/mongodb/check-target-live.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';
import { fixtureStream } from './dump-fixture.js';

const servers = testServers();
const client = new MongoClient(servers.targetUri);
const dir = mkdtempSync(join(tmpdir(), 'dbfork-guard-'));
const archive = join(dir, 'dump.archive');

/** Every database and its collections on the target server. */
async function serverState(): Promise<string[]> {
  const dbs = (await client.db('admin').admin().listDatabases()).databases.map((d) => d.name).sort();
  const out: string[] = [];
  for (const db of dbs) {
    const names = (await client.db(db).listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .sort();
    out.push(`${db}: ${names.join(',')}`);
  }
  return out;
}

beforeAll(async () => {
  await client.connect();
  await writeDump(
    fixtureStream('prod', [
      { name: 'people', docs: Array.from({ length: 50 }, (_, i) => ({ _id: i, marker: 'x' })) },
    ]),
    archive,
    { format: 'archive' },
  );
});
afterAll(async () => {
  await client.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = ['restore', '--in', archive, '--to', servers.targetUri, '--no-anonymize'];

describe('target guard through the built CLI: refuses, names the rule, exits 8, writes nothing', () => {
  const cases: [string, string[], string, string][] = [
    [
      'admin',
      ['--db', 'admin', '--allow-target', '.*', '--confirm', 'admin'],
      'TARGET_PROTECTED',
      'system-db',
    ],
    [
      'local',
      ['--db', 'local', '--allow-target', '.*', '--confirm', 'local'],
      'TARGET_PROTECTED',
      'system-db',
    ],
    [
      'config',
      ['--db', 'CONFIG', '--allow-target', '.*', '--confirm', 'CONFIG'],
      'TARGET_PROTECTED',
      'system-db',
    ],
    [
      'the production db name',
      ['--db', 'prod_app', '--protect-db', 'prod_app', '--allow-target', '.*', '--confirm', 'prod_app'],
      'TARGET_PROTECTED',
      'protected-db',
    ],
    [
      'the snapshot db name, even when it looks ephemeral',
      ['--db', 'snap_pr_1', '--protect-db', 'prod_app', '--protect-db', 'snap_pr_1'],
      'TARGET_PROTECTED',
      'protected-db',
    ],
    [
      'a name outside the allowlist',
      ['--db', 'qa_shared', '--allow-target', '^staging$', '--confirm', 'qa_shared'],
      'TARGET_NOT_ALLOWED',
      'not-allowed',
    ],
    [
      'a long-lived target without --confirm',
      ['--db', 'staging', '--allow-target', '^staging$'],
      'TARGET_CONFIRM_REQUIRED',
      'confirm-required',
    ],
    [
      'a long-lived target with a wrong --confirm',
      ['--db', 'staging', '--allow-target', '^staging$', '--confirm', 'stagin'],
      'TARGET_CONFIRM_REQUIRED',
      'confirm-required',
    ],
  ];

  it.each(cases)('%s', async (_name, args, code, rule) => {
    const before = await serverState();
    const res = await runCli([...base, ...args]);
    expect(res.code).toBe(8);
    expect(res.stderr).toContain(`error ${code}`);
    expect(res.stderr).toContain(`rule ${rule}`);
    expect(await serverState()).toEqual(before);
  });

  it('--dry-run prints the refusal and the plan, exits 8, writes nothing', async () => {
    const before = await serverState();
    const res = await runCli([...base, '--db', 'staging', '--dry-run']);
    expect(res.code).toBe(8);
    expect(res.stdout).toContain('guard: REFUSED (rule not-allowed)');
    expect(res.stdout).toContain('prod.people');
    expect(await serverState()).toEqual(before);
  });

  it('an allowed, confirmed long-lived target restores', async () => {
    const db = `${uniqueDbName('guard')}_staging`;
    try {
      const res = await runCli([...base, '--db', db, '--allow-target', '_staging$', '--confirm', db]);
      expect(res.code, res.stderr).toBe(0);
      expect(await client.db(db).collection('people').countDocuments()).toBe(50);
    } finally {
      await client.db(db).dropDatabase();
    }
  });
});

describe('target guard: the snapshot source itself (library entry; the CLI flag comes with --snapshot)', () => {
  it('same db on the same server spelled differently: refused by the pure rule, nothing written', async () => {
    const db = 'app_pr_7';
    const before = await serverState();
    const port = new URL(servers.targetUri.replace('mongodb://', 'http://')).port;
    await expect(
      restoreToTarget({
        uri: servers.targetUri,
        targetDb: db,
        guardConfig: {
          source: { uri: `mongodb://LOCALHOST.:${port},other.example:27017/?replicaSet=x`, db: 'APP_PR_7' },
        },
        events: fixtureStream('prod', [{ name: 'people', docs: [{ _id: 1 }] }]),
      }),
    ).rejects.toMatchObject({ code: 'TARGET_IS_SOURCE', subject: { rule: 'source-itself' } });
    expect(await serverState()).toEqual(before);
  });

  it('a host name the pure rule cannot match but DNS resolves to the target: refused by the live check (DNS seam), nothing written', async () => {
    const db = 'app_pr_8';
    const before = await serverState();
    const port = new URL(servers.targetUri.replace('mongodb://', 'http://')).port;
    let error: unknown;
    try {
      await restoreToTarget({
        uri: servers.targetUri,
        targetDb: db,
        guardConfig: { source: { uri: `mongodb://prod-db.internal:${port}/`, db } },
        events: fixtureStream('prod', [{ name: 'people', docs: [{ _id: 1 }] }]),
        resolver: {
          srv: async () => [],
          addresses: async (host) => (host === 'prod-db.internal' ? ['127.0.0.1'] : ['127.0.0.1']),
        },
      });
    } catch (e) {
      error = e;
    }
    expect(isDbforkError(error) && error.code).toBe('TARGET_IS_SOURCE');
    expect(isDbforkError(error) && error.message).toContain('loopback');
    expect(await serverState()).toEqual(before);
  });

  it('the live check reports privileges as undetermined on FerretDB (no roles, connectionStatus lists no user)', async () => {
    const report = await checkTargetLive(clientCommandRunner(client), {
      target: { uri: servers.targetUri, db: 'app_pr_9' },
      connectedHosts: client.options.hosts.map((h) => h.toString()),
      protectedDbs: ['prod_app'],
      source: { uri: 'mongodb://prod.example:27017/', db: 'prod' },
    });
    expect(report).toMatchObject({ privileges: 'undetermined', sourceHosts: 'skipped' });
  });
  it('privileges (seam: FerretDB has no roles, so the runner answers connectionStatus as MongoDB would for readWriteAnyDatabase): refused', async () => {
    const real = clientCommandRunner(client);
    const asMongo = async (db: string, command: Record<string, unknown>) =>
      'connectionStatus' in command
        ? {
            authInfo: {
              authenticatedUsers: [{ user: 'restore', db: 'admin' }],
              authenticatedUserPrivileges: [
                { resource: { db: '', collection: '' }, actions: ['find', 'insert'] },
              ],
            },
            ok: 1,
          }
        : real(db, command);
    const check = checkTargetLive(asMongo, {
      target: { uri: servers.targetUri, db: 'app_pr_9' },
      connectedHosts: [],
      protectedDbs: ['prod_app'],
    });
    await expect(check).rejects.toMatchObject({ code: 'TARGET_PRIVILEGES_TOO_BROAD' });
  });
});
