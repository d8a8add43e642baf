import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DbInstance } from '../../../src/rds/db-instance.js';
import { iamPolicyOf } from '../../../src/rds/iam-policy.js';
import { checkInfraTarget, type InfraGuardConfig } from '../../../src/rds/infra-guard.js';
import { planRdsClone, type RdsClonePlanInput } from '../../../src/rds/plan-rds-clone.js';
import { predict } from '../../../src/rds/predict.js';
import type { RdsStepKind, RdsStepParams } from '../../../src/rds/clone-steps.js';
import { REPO_ROOT } from '../../helpers/servers.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'rds');
const ARN = 'arn:aws:rds:us-west-1:123456789012:db:';

function instance(id: string, extra: Partial<DbInstance> = {}): DbInstance {
  return {
    id,
    arn: `${ARN}${id}`,
    engine: 'mysql',
    status: 'available',
    replicaIds: [],
    instanceClass: 'db.t3.micro',
    storageType: 'gp2',
    multiAz: false,
    port: 3306,
    securityGroupIds: ['sg-0a1b2c'],
    parameterGroup: 'mitosis-mysql57',
    parameterApplyStatus: 'in-sync',
    optionGroup: 'mitosis-og',
    backupRetention: 1,
    backupWindow: '05:30-06:20',
    maintenanceWindow: 'tue:07:02-tue:08:00',
    tags: {},
    ...extra,
  };
}

/** The stack-mitosis example: production and a demo tree of a primary and one replica. */
function mitosis(): Map<string, DbInstance> {
  const all = [
    instance('mitosis-prod', { tags: { environment: 'production' }, replicaIds: ['mitosis-prod-replica'] }),
    instance('mitosis-prod-replica', { sourceId: 'mitosis-prod', backupRetention: 0 }),
    instance('mitosis-demo', {
      port: 5430,
      tags: { Service: 'Mitosis' },
      replicaIds: ['mitosis-demo-replica'],
    }),
    instance('mitosis-demo-replica', {
      sourceId: 'mitosis-demo',
      port: 5431,
      backupRetention: 0,
      maintenanceWindow: 'mon:07:30-mon:08:00',
      tags: { Service: 'Mitosis', IsReplica: 'true' },
    }),
  ];
  return new Map(all.map((i) => [i.id, i]));
}

const GUARD: InfraGuardConfig = {
  source: 'mitosis-prod',
  target: 'mitosis-demo',
  productionTag: 'environment=production',
  protectedIds: ['*-production*'],
  confirm: 'mitosis-demo',
  rawCopyAccepted: true,
};

function input(state: Map<string, DbInstance>, extra: Partial<RdsClonePlanInput> = {}): RdsClonePlanInput {
  return {
    state,
    runId: '20261202t000000z-abcdef',
    guard: GUARD,
    connection: { region: 'us-west-1' },
    restoreSnapshot: false,
    restart: './restart-service.sh',
    keepOld: false,
    pollIntervalMs: 30_000,
    timeoutMs: 7_200_000,
    now: new Date('2026-12-02T00:00:00.000Z'),
    ...extra,
  };
}

function golden(name: string, value: unknown): void {
  const file = join(FIXTURES, name);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (process.env.DBFORK_UPDATE_GOLDEN === '1') writeFileSync(file, text);
  expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

describe('planRdsClone (pure)', () => {
  it('plans the stack-mitosis flight plan: the plan JSON equals the golden file', () => {
    const plan = planRdsClone(input(mitosis()));
    expect(plan.guard?.allowed).toBe(true);
    golden('mitosis-plan.golden.json', plan);
  });

  it('derives the least-privilege IAM policy: equals the golden file, no wildcard, delete only on old-*', () => {
    const policy = iamPolicyOf(planRdsClone(input(mitosis())));
    golden('mitosis-iam.golden.json', policy);
    for (const s of policy.Statement) for (const r of s.Resource) expect(r).not.toContain('*');
    const del = policy.Statement.find((s) => s.Action.includes('rds:DeleteDBInstance'))!;
    expect(del.Resource).toEqual([`${ARN}old-mitosis-demo`, `${ARN}old-mitosis-demo-replica`]);
    expect(policy.Statement.find((s) => s.Action.includes('rds:RebootDBInstance'))!.Resource).toEqual([
      `${ARN}temp-mitosis-demo`,
      `${ARN}temp-mitosis-demo-replica`,
    ]);
  });

  it('a fresh run skips nothing', () => {
    expect(planRdsClone(input(mitosis())).preview?.skipped).toEqual({});
  });

  it('replans a run interrupted after the target became old-* (links follow renames, as on AWS): only the rest runs', () => {
    const first = planRdsClone(input(mitosis()));
    let state: Map<string, DbInstance> = mitosis();
    for (const op of first.operations) {
      if (op.id === 'rename-temp.mitosis-demo-replica') break;
      if (!op.kind.startsWith('rds.') || ['rds.lease', 'rds.await', 'rds.release'].includes(op.kind))
        continue;
      state = predict(state, op.kind as RdsStepKind, (op.params as unknown as RdsStepParams).request);
    }
    expect(state.has('mitosis-demo')).toBe(false);
    expect(state.has('old-mitosis-demo')).toBe(true);
    const again = planRdsClone(input(state));
    expect(again.guard?.allowed).toBe(true);
    const skipped = Object.keys(again.preview?.skipped as object);
    const all = again.operations.filter(
      (o) => o.kind.startsWith('rds.') && !['rds.lease', 'rds.await', 'rds.release'].includes(o.kind),
    );
    const runs = all.map((o) => o.id).filter((id) => !skipped.includes(id));
    expect(runs).toEqual([
      'rename-temp.mitosis-demo-replica',
      'rename-temp.mitosis-demo',
      'delete.old-mitosis-demo-replica',
      'delete.old-mitosis-demo',
    ]);
    expect(again.preview?.skipped).toMatchObject({
      'rename-old.mitosis-demo': 'mitosis-demo is old-mitosis-demo already',
    });
  });

  it('snapshot mode restores the root and skips the promotion; cross-VPC forces it', () => {
    const state = mitosis();
    state.set('mitosis-demo', {
      ...state.get('mitosis-demo')!,
      vpcId: 'vpc-demo',
      subnetGroup: 'demo-subnets',
    });
    const snapshot = {
      id: 'rds:mitosis-prod-2026-12-01-05-30',
      arn: '',
      createdAt: '2026-12-01T05:30:00.000Z',
    };
    const plan = planRdsClone(input(state, { snapshot }));
    expect(plan.preview?.mode).toBe('snapshot');
    expect(plan.operations.map((o) => o.kind)).toContain('rds.restore-snapshot');
    expect(plan.operations.map((o) => o.kind)).not.toContain('rds.promote');
    const restore = plan.operations.find((o) => o.kind === 'rds.restore-snapshot')!;
    expect((restore.params as { request: Record<string, unknown> }).request.DBSubnetGroupName).toBe(
      'demo-subnets',
    );
    const iam = iamPolicyOf(plan);
    expect(iam.Statement.find((s) => s.Sid === 'RestoreDBInstanceFromDBSnapshot')!.Resource).toContain(
      'arn:aws:rds:us-west-1:123456789012:snapshot:rds:mitosis-prod-2026-12-01-05-30',
    );
    expect(() => planRdsClone(input(state))).toThrow(/no available snapshot/);
  });
});

describe('checkInfraTarget (pure)', () => {
  it('refuses swapped source and target: production is never a target', () => {
    const verdict = checkInfraTarget(
      mitosis(),
      { ...GUARD, source: 'mitosis-demo', target: 'mitosis-prod', confirm: 'mitosis-prod' },
      undefined,
    );
    expect(verdict).toMatchObject({ allowed: false, code: 'TARGET_PRODUCTION' });
  });

  it('refuses a target tree holding a replica of the source, a protected id, and no confirmation', () => {
    const state = mitosis();
    expect(
      checkInfraTarget(
        state,
        { ...GUARD, target: 'mitosis-prod-replica', confirm: 'mitosis-prod-replica' },
        undefined,
      ).code,
    ).toBe('TARGET_IN_SOURCE_TREE');
    expect(checkInfraTarget(state, { ...GUARD, protectedIds: ['mitosis-demo-*'] }, undefined).code).toBe(
      'TARGET_PROTECTED',
    );
    expect(checkInfraTarget(state, { ...GUARD, confirm: 'mitosis-prod' }, undefined).code).toBe(
      'TARGET_CONFIRM_REQUIRED',
    );
    expect(checkInfraTarget(state, { ...GUARD, rawCopyAccepted: false }, undefined).code).toBe(
      'RAW_COPY_NOT_ACCEPTED',
    );
    expect(checkInfraTarget(state, GUARD, undefined)).toMatchObject({ allowed: true, rule: 'confirmed' });
  });
});
