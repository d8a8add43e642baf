import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordScenario } from '../../helpers/reliability-record.js';
import { CLI, runCli, type CliResult } from '../../helpers/run-cli.js';
import { REPO_ROOT, testServers, uniqueDbName } from '../../helpers/servers.js';
import { eventsOf } from '../../helpers/watch-cli.js';
import { size, TIMEOUT } from './reliability-sizes.js';

const servers = testServers();
const BIG_DOCS = size(1500, 6000);

/** `dbfork --json …` as uid/gid 65534 (nobody): root ignores file modes, another user does not. */
function runAsNobody(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, '--json', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, HOME: tmpdir() }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
  });
}

/**
 * Every file and folder under `root`, relative, but the audit trail's records (`audit/`): a failed run
 * appends its start and end records there by design, and they are not part of any snapshot.
 */
function tree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (path === 'audit') continue;
      out.push(path);
      if (entry.isDirectory()) walk(join(dir, entry.name), path);
    }
  };
  walk(root, '');
  return out.sort();
}

describe('snapshot create and restore on a full, read-only or forbidden store', { timeout: TIMEOUT }, () => {
  const small = uniqueDbName('rel_store_small');
  const big = uniqueDbName('rel_store_big');
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-rel-store-'));
  const mounts: string[] = [];
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  const create = (store: string, db: string): string[] => [
    'snapshot',
    'create',
    '--uri',
    servers.sourceUri,
    '--db',
    db,
    '--name',
    'prod',
    '--store',
    store,
    '--no-anonymize',
  ];
  const listed = async (store: string): Promise<{ id: string; status: string; latest: boolean }[]> => {
    const res = await runCli(['--json', 'snapshot', 'list', '--name', 'prod', '--store', store]);
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout.trim()).result as { id: string; status: string; latest: boolean }[];
  };
  const baseline = async (store: string): Promise<string> => {
    const res = await runCli(['--json', ...create(store, small)]);
    expect(res.code, res.stderr).toBe(0);
    return (eventsOf(res.stdout).at(-1)?.result as { id: string }).id;
  };
  /** The failed run's error: store category (exit 6), naming the store path. */
  const expectStoreError = (res: CliResult, path: string, errno: string): string => {
    expect(res.code, res.stderr).toBe(6);
    const error = eventsOf(res.stdout).find((e) => e.type === 'error')?.error as { message: string };
    expect(error.message).toContain(path);
    expect(error.message).toContain(errno);
    return error.message;
  };

  beforeAll(async () => {
    await source
      .db(small)
      .collection('a')
      .insertMany(Array.from({ length: 50 }, (_, i) => ({ i })));
    // incompressible: gzip cannot bring it under the 2 MiB of the small file system
    await source
      .db(big)
      .collection('a')
      .insertMany(
        Array.from({ length: BIG_DOCS }, (_, i) => ({ i, blob: randomBytes(1500).toString('base64') })),
      );
  });
  afterAll(async () => {
    for (const m of mounts.reverse()) execFileSync('umount', [m]);
    await source.db(small).dropDatabase();
    await source.db(big).dropDatabase();
    await source.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a full file system (2 MiB tmpfs): exit 6 naming the store, nothing complete, latest unchanged, no temporary files', async () => {
    const store = join(dir, 'tmpfs');
    mkdirSync(store);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', store]);
    mounts.push(store);
    const before = await baseline(store);
    const files = tree(store);
    const res = await runCli(['--json', ...create(store, big)]);
    expectStoreError(res, store, 'ENOSPC');
    const after = await listed(store);
    expect(after.filter((s) => s.status === 'complete').map((s) => s.id)).toEqual([before]);
    expect(after.find((s) => s.latest)?.id).toBe(before);
    expect(tree(store)).toEqual(files);
    recordScenario({
      group: 'store',
      scenario: 'snapshot create: store file system full (2 MiB tmpfs)',
      runs: 1,
      survived: 1,
      nothingLost: true,
      detail: 'exit 6 ENOSPC naming the path; latest unchanged; no partial files left',
    });
  });

  it('a read-only mount: exit 6 naming the store, latest unchanged', async () => {
    const writable = join(dir, 'rw');
    const store = join(dir, 'ro');
    mkdirSync(writable);
    mkdirSync(store);
    const before = await baseline(writable);
    execFileSync('mount', ['--bind', writable, store]);
    mounts.push(store);
    execFileSync('mount', ['-o', 'remount,bind,ro', store]);
    const files = tree(store);
    const res = await runCli(['--json', ...create(store, small)]);
    expectStoreError(res, store, 'EROFS');
    expect((await listed(store)).find((s) => s.latest)?.id).toBe(before);
    expect(tree(store)).toEqual(files);
    recordScenario({
      group: 'store',
      scenario: 'snapshot create: store on a read-only mount',
      runs: 1,
      survived: 1,
      nothingLost: true,
      detail: 'exit 6 EROFS naming the path; latest unchanged',
    });
  });

  it('a store this user may not write or read (run as uid 65534): create and restore exit 6 with the path, target unchanged', async () => {
    const store = join(dir, 'forbidden');
    mkdirSync(store);
    const before = await baseline(store);
    // others may look into the folders, not write them; the snapshot's files stay 0600 root
    for (const path of [store, ...tree(store).map((p) => join(store, p))]) {
      if (statSync(path).isDirectory()) chmodSync(path, 0o755);
    }
    chmodSync(dir, 0o755);
    const files = tree(store);
    const created = await runAsNobody(create(store, small));
    expectStoreError(created, store, 'EACCES');
    expect(tree(store)).toEqual(files);
    expect((await listed(store)).find((s) => s.latest)?.id).toBe(before);

    // the restore's reads: the manifest and data are 0600 root
    const db = `${uniqueDbName('rel_store_rst')}_pr_1`;
    await target.db(db).collection('a').insertOne({ kept: true });
    const restored = await runAsNobody([
      'restore',
      '--snapshot',
      'prod',
      '--store',
      store,
      '--to',
      servers.targetUri,
      '--db',
      db,
      '--no-anonymize',
    ]);
    expectStoreError(restored, store, 'EACCES');
    expect(
      await target
        .db(db)
        .collection('a')
        .find({}, { projection: { _id: 0 } })
        .toArray(),
    ).toEqual([{ kept: true }]);
    await target.db(db).dropDatabase();
    recordScenario({
      group: 'store',
      scenario: 'snapshot create and restore: store not writable / readable by the user',
      runs: 2,
      survived: 2,
      nothingLost: true,
      detail: 'exit 6 EACCES naming the path; latest unchanged; target untouched',
    });
  });
});
