import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../src/store/fs/fs-object-store.js';
import { ObjectSnapshotCatalog } from '../../../src/store/object-snapshot-catalog.js';
import { testManifest } from '../../helpers/manifest.js';
import { runCli } from '../../helpers/run-cli.js';

describe('dbfork snapshot prune and delete', () => {
  const root = mkdtempSync(join(tmpdir(), 'dbfork-prune-'));
  const store = new ObjectSnapshotCatalog(new FsObjectStore(root));
  const ids: string[] = [];
  let latest = '';

  beforeAll(async () => {
    // ten daily snapshots, oldest first; the last commit becomes latest
    for (let day = 9; day >= 0; day--) {
      const pending = await store.begin('prod');
      const createdAt = new Date(Date.UTC(2026, 10, 22 - day, 3)).toISOString();
      await store.commit(pending, testManifest('prod', pending.id, createdAt));
      ids.push(pending.id);
      await new Promise((r) => setTimeout(r, 3));
    }
    latest = ids.at(-1)!;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('--dry-run --json prints the plan (one delete per snapshot that goes) and deletes nothing', async () => {
    const res = await runCli([
      '--json',
      'snapshot',
      'prune',
      '--store',
      root,
      '--keep-daily',
      '3',
      '--dry-run',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const plan = JSON.parse(res.stdout.trim());
    expect(plan.schemaVersion).toBe(1);
    expect(plan.operations.map((o: { kind: string }) => o.kind)).toEqual(Array(7).fill('snapshot.delete'));
    const rows = plan.preview.snapshots as { id: string; action: string }[];
    expect(rows.filter((r) => r.action === 'delete')).toHaveLength(7);
    expect(plan.operations.map((o: { params: { id: string } }) => o.params.id)).not.toContain(latest);
    expect((await store.list('prod')).length).toBe(10);
  });

  it('keeps the newest of the last 3 days, deletes the rest, never latest', async () => {
    const res = await runCli(['snapshot', 'prune', '--store', root, '--keep-daily', '3']);
    expect(res.code, res.stderr).toBe(0);
    const left = (await store.list('prod')).map((s) => s.id);
    expect(left).toEqual(ids.slice(-3).reverse());
    expect(await store.latest('prod')).toBe(latest);
  });

  it('delete of latest moves latest back to the previous complete snapshot', async () => {
    const res = await runCli(['snapshot', 'delete', 'prod@latest', '--store', root]);
    expect(res.code, res.stderr).toBe(0);
    expect(await store.latest('prod')).toBe(ids.at(-2));
  });

  it('refuses a prune without a policy', async () => {
    const res = await runCli(['snapshot', 'prune', '--store', root]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/CONFIG_BAD_OPTION: prune needs a retention policy/);
  });
});
