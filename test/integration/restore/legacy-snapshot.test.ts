import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EJSON, BSON } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { readSnapshotData } from '../../../src/pipeline/read-snapshot-data.js';
import { openSnapshotStore } from '../../../src/store/open-snapshot-store.js';
import { rawById } from '../../helpers/raw-documents.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const FIXTURE = fileURLToPath(new URL('../../fixtures/legacy-store', import.meta.url));

describe('snapshots written by 0.1.0 restore with the current release', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-legacy-'));
  const store = join(dir, 'store');
  cpSync(FIXTURE, store, { recursive: true });
  const target = new MongoClient(servers.targetUri);
  const targets: string[] = [];
  afterAll(async () => {
    for (const db of targets) await target.db(db).dropDatabase();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const name of ['legacy-archive', 'legacy-dir']) {
    it(`${name}: verify passes and restore writes the stored bytes`, async () => {
      const verify = await runCli(['snapshot', 'verify', name, '--store', store]);
      expect(verify.code, verify.stderr).toBe(0);
      const db = `${uniqueDbName('legacy')}_pr_${targets.length + 1}`;
      targets.push(db);
      const res = await runCli([
        'restore',
        '--snapshot',
        `${name}@latest`,
        '--store',
        store,
        '--to',
        servers.targetUri,
        '--db',
        db,
        '--no-anonymize',
      ]);
      expect(res.code, res.stderr).toBe(0);
      const stored = new Map<string, Buffer>();
      const snapshot = await (await openSnapshotStore(store)).resolve({ name, id: 'latest' });
      for await (const event of readSnapshotData(snapshot)) {
        if (event.type !== 'document') continue;
        const id = BSON.deserialize(event.bson, { promoteValues: false })._id;
        stored.set(
          `${event.namespace.collection} ${EJSON.stringify(id, { relaxed: false })}`,
          Buffer.from(event.bson),
        );
      }
      expect(stored.size).toBe(24);
      for (const coll of ['customers', 'orders']) {
        const restored = await rawById(target, db, coll);
        expect(restored.size, coll).toBe(12);
        for (const [id, bytes] of restored)
          expect(bytes.equals(stored.get(`${coll} ${id}`)!), `${coll} ${id}`).toBe(true);
      }
    });
  }
});
