import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../helpers/servers.js';

const servers = testServers();

describe('dbfork scan --uri --db (live, read-only sample)', () => {
  const db = uniqueDbName('scan_live');
  const client = new MongoClient(servers.sourceUri);

  beforeAll(async () => {
    await client
      .db(db)
      .collection<{ _id: number; email: string; bio: string; plan: string }>('people')
      .insertMany(
        Array.from({ length: 30 }, (_, i) => ({
          _id: i,
          email: `person${i}@mail.example`,
          bio: `Call me on +44 20 7946 09${String(i).padStart(2, '0')}`,
          plan: 'basic',
        })),
      );
  });

  afterAll(async () => {
    await client.db(db).dropDatabase();
    await client.close();
  });

  it('reports personal data by path with masked examples and exits 1; respects --sample', async () => {
    const result = await runCli(['scan', '--uri', servers.sourceUri, '--db', db, '--sample', '10', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1)!).result as {
      findings: { path: string; detector: string; count: number; examples: string[] }[];
      namespaces: { sampledDocuments: number }[];
    };
    expect(report.findings.map((f) => [f.path, f.detector, f.count])).toEqual([
      ['bio', 'phone', 10],
      ['email', 'email', 10],
    ]);
    expect(result.stdout).not.toContain('person1@mail.example');
    expect(report.namespaces).toEqual([
      expect.objectContaining({ namespace: `${db}.people`, sampledDocuments: 10 }),
    ]);
  });

  it('with rules covering every field and --strict it passes (exit 0)', async () => {
    const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'dbfork-scan-'));
    const rules = join(dir, 'rules.yaml');
    writeFileSync(
      rules,
      'rules:\n  people:\n    fields:\n      email: { transform: hash_email }\n      bio: { transform: unset }\n    keep: [_id, plan]\n',
    );
    const result = await runCli([
      'scan',
      '--uri',
      servers.sourceUri,
      '--db',
      db,
      '--rules',
      rules,
      '--strict',
    ]);
    rmSync(dir, { recursive: true, force: true });
    expect(result.stdout).toContain('scan passed: no findings');
    expect(result.code).toBe(0);
  });
});
