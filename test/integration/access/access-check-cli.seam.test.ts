import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { REPO_ROOT } from '../../helpers/servers.js';

const status = (name: string) =>
  join(REPO_ROOT, 'test', 'fixtures', 'access', `connection-status-${name}.json`);
const check = (role: string, name: string, ...extra: string[]) =>
  runCli([
    'access',
    'check',
    '--role',
    role,
    '--prod-db',
    'syrftest',
    '--snapshot-db',
    'syrf_snapshot',
    '--from-status',
    status(name),
    ...extra,
  ]);

describe('seam: dbfork access check --from-status (recorded connectionStatus replies)', () => {
  it('exits 8 on readWriteAnyDatabase and names the protected databases', async () => {
    const res = await check(
      'restore',
      'read-write-any-database',
      '--pr',
      '123',
      '--db-template',
      'syrf_pr_{number}',
    );
    expect(res.code).toBe(8);
    expect(res.stderr).toContain('ACCESS_WRITES_PROTECTED');
    expect(res.stdout).toContain('CAN WRITE PROTECTED');
    expect(res.stdout).toMatch(/over-privileged\s+\(every database\)/);
  });

  it('exits 0 for the correct PR user and says it matches', async () => {
    const res = await check('restore', 'pr-user-correct', '--pr', '123', '--db-template', 'syrf_pr_{number}');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('matches the restore plan');
  });

  it('exits 1 for an over-privileged producer that cannot write production; --json reports it', async () => {
    const res = await runCli([
      '--json',
      'access',
      'check',
      '--role',
      'producer',
      '--prod-db',
      'syrftest',
      '--snapshot-db',
      'syrf_snapshot',
      '--from-status',
      status('producer-extra-read'),
    ]);
    expect(res.code).toBe(1);
    const result = JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '{}').result as {
      extra: { resource: string }[];
    };
    expect(result.extra.map((e) => e.resource)).toEqual(['syrf_staging']);
  });
});
