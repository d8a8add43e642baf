import { existsSync, readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddTagsToResourceCommand, type DBInstance } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { runCli, runCliWithCrash } from '../../helpers/run-cli.js';
import {
  createTree,
  instancesWith,
  motoEnv,
  motoRds,
  uniquePrefix,
  type TreeNode,
} from '../../helpers/rds-trees.js';

/**
 * `dbfork rds clone` against moto's RDS. moto's gaps, which these tests rely on and say so:
 * - state changes are instant (every instance is `available` at once), so the waits pass at the first look;
 * - PromoteReadReplica leaves the source link in place, and renames/deletes leave stale replica links on
 *   both sides, so a replica's source reads the id its parent had when the replica was created;
 * - deleting a replica whose recorded source was renamed answers DBInstanceNotFound after deleting it.
 */
const rds = motoRds();
const env = motoEnv();
const FAST = ['--poll-interval', '50ms', '--timeout', '20s', '--protect-id', 'never-matches'];

function mysqlCascade(p: string): TreeNode[] {
  return [
    { id: `${p}-prod`, tags: { environment: 'production' } },
    { id: `${p}-prod-r`, parent: `${p}-prod` },
    { id: `${p}-demo`, tags: { Service: 'demo', environment: 'demo' }, instanceClass: 'db.t3.small' },
    { id: `${p}-demo-r`, parent: `${p}-demo`, tags: { IsReplica: 'true' } },
    { id: `${p}-demo-rr`, parent: `${p}-demo-r`, tags: { Tier: 'cascade' } },
  ];
}

const clone = (p: string, extra: string[] = []): string[] => [
  'rds',
  'clone',
  '--source',
  `${p}-prod`,
  '--target',
  `${p}-demo`,
  '--confirm',
  `${p}-demo`,
  '--no-anonymize',
  ...FAST,
  ...extra,
];

const tags = (i: DBInstance | undefined): Record<string, string> =>
  Object.fromEntries((i?.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));

/** Ids and tags of every instance of the test: what "nothing changed" compares. */
async function picture(p: string): Promise<Record<string, Record<string, string>>> {
  const all = await instancesWith(rds, p);
  return Object.fromEntries([...all].map(([id, i]) => [id, tags(i)]).sort());
}

describe('rds clone on moto (relies on moto gaps: instant state changes, promote and renames keep stale replica links)', () => {
  it('replaces a MySQL cascade: target ids are copies tagged as raw, attributes and tags copied, old-* deleted (links as moto keeps them)', async () => {
    const p = uniquePrefix('my');
    await createTree(rds, 'mysql', mysqlCascade(p));
    const run = await runCli(clone(p), { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const after = await instancesWith(rds, p);
    expect([...after.keys()].sort()).toEqual([
      `${p}-demo`,
      `${p}-demo-r`,
      `${p}-demo-rr`,
      `${p}-prod`,
      `${p}-prod-r`,
    ]);
    const root = after.get(`${p}-demo`)!;
    expect(tags(root)).toMatchObject({
      Service: 'demo',
      environment: 'demo',
      'dbfork:clone-of': `${p}-prod`,
      'dbfork:anonymized': 'false',
    });
    expect(tags(root)['dbfork:lease']).toBeUndefined();
    expect(root.DBInstanceClass).toBe('db.t3.small');
    expect(tags(after.get(`${p}-demo-r`))).toMatchObject({
      IsReplica: 'true',
      'dbfork:run': tags(root)['dbfork:run'],
    });
    expect(tags(after.get(`${p}-demo-rr`))).toMatchObject({ Tier: 'cascade' });
    // moto gap: links keep the id the parent had when the replica was created (temp-…)
    expect(after.get(`${p}-demo-r`)!.ReadReplicaSourceDBInstanceIdentifier).toBe(`temp-${p}-demo`);
    expect(after.get(`${p}-demo-rr`)!.ReadReplicaSourceDBInstanceIdentifier).toBe(`temp-${p}-demo-r`);
    expect(root.ReadReplicaSourceDBInstanceIdentifier).toBe(`${p}-prod`); // moto gap: promote keeps the link
  });

  it('replaces a flat Postgres tree and runs the restart hook after the swap', async () => {
    const p = uniquePrefix('pg');
    await createTree(rds, 'postgres', [
      { id: `${p}-prod` },
      { id: `${p}-demo`, tags: { Service: 'pg-demo' } },
      { id: `${p}-demo-a`, parent: `${p}-demo` },
      { id: `${p}-demo-b`, parent: `${p}-demo` },
    ]);
    const marker = join(mkdtempSync(join(tmpdir(), 'dbfork-rds-')), 'restarted');
    const run = await runCli(clone(p, ['--restart', `echo done > ${marker}`]), { env });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('done\n');
    const after = await instancesWith(rds, p);
    expect([...after.keys()].sort()).toEqual([`${p}-demo`, `${p}-demo-a`, `${p}-demo-b`, `${p}-prod`]);
    for (const id of [`${p}-demo-a`, `${p}-demo-b`])
      expect(after.get(id)!.ReadReplicaSourceDBInstanceIdentifier).toBe(`temp-${p}-demo`); // moto gap, as above
    expect(tags(after.get(`${p}-demo`))['Service']).toBe('pg-demo');
  });

  for (const [step, point] of [
    ['copy', 'rds-after-create-replica:1'],
    ['promote', 'rds-after-promote:1'],
    ['rename-old', 'rds-after-rename:1'],
    ['rename-temp', 'rds-after-rename:3'],
    ['rename-temp of the root', 'rds-after-rename:4'],
  ] as const) {
    it(`a kill after ${step} is followed by a rerun that completes with no duplicate instance`, async () => {
      const p = uniquePrefix('k');
      await createTree(rds, 'mysql', [
        { id: `${p}-prod` },
        { id: `${p}-demo`, tags: { Service: 'k' } },
        { id: `${p}-demo-r`, parent: `${p}-demo` },
      ]);
      const killed = await runCliWithCrash(clone(p), point, env);
      expect(killed.signal).toBe('SIGKILL');
      const dry = await runCli(clone(p, ['--dry-run']), { env });
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('skipping:');
      const rerun = await runCli(clone(p), { env });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.stdout).toMatch(/skipped +already done/);
      const after = await instancesWith(rds, p);
      expect([...after.keys()].sort()).toEqual([`${p}-demo`, `${p}-demo-r`, `${p}-prod`]);
      expect(tags(after.get(`${p}-demo`))['dbfork:run']).toBeDefined();
      expect(tags(after.get(`${p}-demo-r`))['dbfork:run']).toBe(tags(after.get(`${p}-demo`))['dbfork:run']);
    });
  }

  it('a failing restart hook exits non-zero and keeps old-* for rollback', async () => {
    const p = uniquePrefix('h');
    await createTree(rds, 'mysql', [
      { id: `${p}-prod` },
      { id: `${p}-demo` },
      { id: `${p}-demo-r`, parent: `${p}-demo` },
    ]);
    const run = await runCli(clone(p, ['--restart', 'exit 3']), { env });
    expect(run.code).toBe(7);
    expect(run.stderr).toContain('PLAN_COMMAND_FAILED');
    const after = await instancesWith(rds, p);
    expect([...after.keys()].sort()).toEqual(
      [`${p}-demo`, `${p}-demo-r`, `old-${p}-demo`, `old-${p}-demo-r`, `${p}-prod`].sort(),
    );
    // the failed run keeps its lock; its rerun (same host, process gone) resumes: hook, then delete
    const rerun = await runCli(clone(p, ['--restart', 'true']), { env });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect([...(await instancesWith(rds, p)).keys()].sort()).toEqual([
      `${p}-demo`,
      `${p}-demo-r`,
      `${p}-prod`,
    ]);
  });

  it('a saved plan killed after a rename to old-* resumes under dbfork apply', async () => {
    const p = uniquePrefix('ap');
    await createTree(rds, 'mysql', [
      { id: `${p}-prod` },
      { id: `${p}-demo` },
      { id: `${p}-demo-r`, parent: `${p}-demo` },
    ]);
    const planFile = join(mkdtempSync(join(tmpdir(), 'dbfork-rds-')), 'plan.json');
    expect((await runCli(clone(p, ['--plan-out', planFile]), { env })).code).toBe(0);
    const killed = await runCliWithCrash(['apply', planFile, '--yes'], 'rds-after-rename:2', env);
    expect(killed.signal).toBe('SIGKILL');
    expect((await instancesWith(rds, p)).has(`old-${p}-demo`)).toBe(true);
    const resumed = await runCli(['apply', planFile, '--yes'], { env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/rename-old\.\S+ +rds\.rename +skipped +already done/);
    expect([...(await instancesWith(rds, p)).keys()].sort()).toEqual([
      `${p}-demo`,
      `${p}-demo-r`,
      `${p}-prod`,
    ]);
  });

  it('--iam-policy prints the policy locked to moto account, region and the plan ids', async () => {
    const p = uniquePrefix('iam');
    await createTree(rds, 'mysql', [{ id: `${p}-prod` }, { id: `${p}-demo` }]);
    const before = await picture(p);
    const run = await runCli(clone(p, ['--iam-policy']), { env });
    expect(run.code, run.stderr).toBe(0);
    const policy = JSON.parse(run.stdout) as { Statement: { Sid: string; Resource: string[] }[] };
    const resources = policy.Statement.flatMap((s) => s.Resource);
    expect(
      resources.every((r) => r.startsWith('arn:aws:rds:us-east-1:123456789012:') && !r.includes('*')),
    ).toBe(true);
    expect(policy.Statement.find((s) => s.Sid === 'DeleteDBInstance')!.Resource).toEqual([
      `arn:aws:rds:us-east-1:123456789012:db:old-${p}-demo`,
    ]);
    expect(await picture(p)).toEqual(before);
  });

  it('--keep-old keeps old-* after a successful swap', async () => {
    const p = uniquePrefix('ko');
    await createTree(rds, 'mysql', [{ id: `${p}-prod` }, { id: `${p}-demo` }]);
    const run = await runCli(clone(p, ['--keep-old']), { env });
    expect(run.code, run.stderr).toBe(0);
    expect([...(await instancesWith(rds, p)).keys()].sort()).toEqual(
      [`${p}-demo`, `old-${p}-demo`, `${p}-prod`].sort(),
    );
  });

  describe('the guard refuses with nothing changed on moto', () => {
    const cases: [string, (p: string) => string[], string][] = [
      [
        'source and target swapped',
        (p) => [
          'rds',
          'clone',
          '--source',
          `${p}-demo`,
          '--target',
          `${p}-prod`,
          '--confirm',
          `${p}-demo`,
          '--no-anonymize',
          ...FAST,
        ],
        'TARGET_PRODUCTION',
      ],
      [
        'swapped and confirmed as production (the tag still refuses)',
        (p) => [
          'rds',
          'clone',
          '--source',
          `${p}-demo`,
          '--target',
          `${p}-prod`,
          '--confirm',
          `${p}-prod`,
          '--no-anonymize',
          ...FAST,
        ],
        'TARGET_PRODUCTION',
      ],
      [
        'the default protected id pattern *prod*',
        (p) => [
          'rds',
          'clone',
          '--source',
          `${p}-demo`,
          '--target',
          `${p}-prod`,
          '--confirm',
          `${p}-prod`,
          '--no-anonymize',
          '--production-tag',
          'none=none',
        ],
        'TARGET_PROTECTED',
      ],
      [
        'a target that is a replica of the source',
        (p) => [
          'rds',
          'clone',
          '--source',
          `${p}-prod`,
          '--target',
          `${p}-prod-r`,
          '--confirm',
          `${p}-prod-r`,
          '--no-anonymize',
          ...FAST,
        ],
        'TARGET_IN_SOURCE_TREE',
      ],
      [
        'a missing --confirm',
        (p) => clone(p).filter((a, i, all) => a !== '--confirm' && all[i - 1] !== '--confirm'),
        'TARGET_CONFIRM_REQUIRED',
      ],
      [
        'a missing --no-anonymize',
        (p) => clone(p).filter((a) => a !== '--no-anonymize'),
        'RAW_COPY_NOT_ACCEPTED',
      ],
      [
        'the target equal to the source',
        (p) => [
          'rds',
          'clone',
          '--source',
          `${p}-demo`,
          '--target',
          `${p}-demo`,
          '--confirm',
          `${p}-demo`,
          '--no-anonymize',
          ...FAST,
        ],
        'TARGET_IS_SOURCE',
      ],
    ];
    for (const [name, args, code] of cases) {
      it(name, async () => {
        const p = uniquePrefix('g');
        await createTree(rds, 'mysql', mysqlCascade(p));
        const before = await picture(p);
        const run = await runCli(args(p), { env });
        expect(run.code).toBe(8);
        expect(run.stderr).toContain(code);
        expect(await picture(p)).toEqual(before);
      });
    }

    it('a lease whose run expired is taken over', async () => {
      const p = uniquePrefix('lx');
      await createTree(rds, 'mysql', [{ id: `${p}-prod` }, { id: `${p}-demo` }]);
      const root = (await instancesWith(rds, `${p}-demo`)).get(`${p}-demo`)!;
      await rds.send(
        new AddTagsToResourceCommand({
          ResourceName: root.DBInstanceArn,
          Tags: [
            { Key: 'dbfork:lease', Value: 'run=gone owner=elsewhere/1 expires=2026-01-01T00:00:00.000Z' },
          ],
        }),
      );
      const run = await runCli(clone(p), { env });
      expect(run.code, run.stderr).toBe(0);
      expect([...(await instancesWith(rds, p)).keys()].sort()).toEqual([`${p}-demo`, `${p}-prod`]);
    });

    it('a second clone while another run holds the lease', async () => {
      const p = uniquePrefix('l');
      await createTree(rds, 'mysql', [{ id: `${p}-prod` }, { id: `${p}-demo` }]);
      const root = (await instancesWith(rds, `${p}-demo`)).get(`${p}-demo`)!;
      const expires = new Date(Date.now() + 3_600_000).toISOString();
      await rds.send(
        new AddTagsToResourceCommand({
          ResourceName: root.DBInstanceArn,
          Tags: [{ Key: 'dbfork:lease', Value: `run=other-run owner=elsewhere/1 expires=${expires}` }],
        }),
      );
      const before = await picture(p);
      const run = await runCli(clone(p), { env });
      expect(run.code).toBe(7);
      expect(run.stderr).toContain('RDS_LEASE_HELD');
      expect(await picture(p)).toEqual(before);
    });
  });

  it('--restore-snapshot restores the root from the latest snapshot of the source', async () => {
    const p = uniquePrefix('sn');
    await createTree(rds, 'mysql', [
      { id: `${p}-prod` },
      { id: `${p}-demo` },
      { id: `${p}-demo-r`, parent: `${p}-demo` },
    ]);
    const dry = await runCli(clone(p, ['--restore-snapshot', '--dry-run', '--json']), { env });
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as {
      preview: { mode: string; snapshot: string };
      operations: { kind: string }[];
    };
    expect(plan.preview.mode).toBe('snapshot');
    expect(plan.operations.map((o) => o.kind)).toContain('rds.restore-snapshot');
    expect(plan.operations.map((o) => o.kind)).not.toContain('rds.promote');
    const run = await runCli(clone(p, ['--restore-snapshot']), { env });
    expect(run.code, run.stderr).toBe(0);
    const after = await instancesWith(rds, p);
    expect([...after.keys()].sort()).toEqual([`${p}-demo`, `${p}-demo-r`, `${p}-prod`]);
    expect(after.get(`${p}-demo`)!.ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
  });

  it('assumes a role with an MFA code from $DBFORK_MFA_CODE (moto STS) and records no credential in the plan', async () => {
    const p = uniquePrefix('st');
    await createTree(rds, 'mysql', [{ id: `${p}-prod` }, { id: `${p}-demo` }]);
    const role = [
      '--role-arn',
      'arn:aws:iam::123456789012:role/dbfork-clone',
      '--mfa-serial',
      'arn:aws:iam::123456789012:mfa/ci',
    ];
    const planFile = join(mkdtempSync(join(tmpdir(), 'dbfork-rds-')), 'plan.json');
    const saved = await runCli(clone(p, [...role, '--plan-out', planFile]), {
      env: { ...env, DBFORK_MFA_CODE: '123456' },
    });
    expect(saved.code, saved.stderr).toBe(0);
    const text = readFileSync(planFile, 'utf8');
    expect(text).toContain('dbfork-clone');
    expect(text).not.toMatch(/SessionToken|SecretAccessKey|123456"/);
    const missing = await runCli(['apply', planFile, '--yes'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('RDS_MFA_CODE_MISSING');
    const applied = await runCli(['apply', planFile, '--yes'], {
      env: { ...env, DBFORK_MFA_CODE: '123456' },
    });
    expect(applied.code, applied.stderr).toBe(0);
    expect(existsSync(planFile)).toBe(true);
    expect([...(await instancesWith(rds, p)).keys()].sort()).toEqual([`${p}-demo`, `${p}-prod`]);
  });
});
