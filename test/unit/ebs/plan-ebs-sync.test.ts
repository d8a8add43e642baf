import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iamPolicyOf } from '../../../src/ebs/iam-policy.js';
import { planEbsSync } from '../../../src/ebs/plan-ebs-sync.js';
import { planInstallDocuments } from '../../../src/ebs/plan-install-documents.js';
import { snapshotsToPrune } from '../../../src/ebs/snapshot-retention.js';
import { newInfraRunId } from '../../../src/pipeline/infra-run-id.js';
import type { EbsSnapshot } from '../../../src/ebs/ebs-port.js';
import { serializePlan } from '../../../src/plan/serialize-plan.js';
import { HIDDEN_INSTANCE, STAGING_INSTANCE } from '../../helpers/ebs-fakes.js';
import { REPO_ROOT } from '../../helpers/servers.js';
import { syncInput } from './sync-input.js';

const GOLDEN = join(REPO_ROOT, 'test', 'fixtures', 'ebs', 'sync-iam.golden.json');

describe('planEbsSync', () => {
  it('orders lock, CreateSnapshot, unlock (always run), CreateVolume, AttachVolume, then the mongo-restore phases', () => {
    const plan = JSON.parse(serializePlan(planEbsSync(syncInput()))) as ReturnType<typeof planEbsSync>;
    expect(plan.operations.map((o) => o.kind)).toEqual([
      'ebs.lock',
      'ebs.create-snapshot',
      'ebs.unlock',
      'ebs.await-snapshot',
      'ebs.create-volume',
      'ebs.attach-volume',
      'ebs.command',
      'ebs.command',
      'ebs.command',
      'ebs.retire-volume',
      'ebs.delete-snapshot',
    ]);
    expect(plan.operations.filter((o) => o.alwaysRun).map((o) => o.id)).toEqual(['unlock']);
    expect(plan.operations.filter((o) => o.kind === 'ebs.command').map((o) => o.id)).toEqual([
      'restore',
      'anonymize',
      'open',
    ]);
    expect(plan.guard).toMatchObject({ allowed: true, rule: 'staging' });
    const create = plan.operations.find((o) => o.id === 'create-volume')!.params as {
      request: Record<string, unknown>;
    };
    expect(create.request).toMatchObject({
      AvailabilityZone: 'eu-west-1a',
      Tags: {
        'dbfork:run': '20261202t0300z-abc123',
        'dbfork:role': 'staging-data',
        'dbfork:anonymized': 'true',
      },
    });
  });

  it('without anonymization: no anonymize phase, open does not require it, the volume is tagged raw', () => {
    const plan = planEbsSync(syncInput({ anonymization: { none: true } }));
    expect(plan.operations.map((o) => o.id)).not.toContain('anonymize');
    const open = plan.operations.find((o) => o.id === 'open')!.params as {
      parameters: Record<string, string>;
    };
    expect(open.parameters.RequireAnonymized).toBe('false');
    const create = plan.operations.find((o) => o.id === 'create-volume')!.params as {
      request: { Tags: Record<string, string> };
    };
    expect(create.request.Tags['dbfork:anonymized']).toBe('false');
  });

  it.each([
    ['no --confirm', { confirm: undefined }, 'confirm-required', 'TARGET_CONFIRM_REQUIRED'],
    ['--confirm of another instance', { confirm: 'i-0other' }, 'confirm-required', 'TARGET_CONFIRM_REQUIRED'],
    [
      'the hidden member’s instance',
      { staging: HIDDEN_INSTANCE, confirm: HIDDEN_INSTANCE.id },
      'staging-is-member',
      'EBS_STAGING_IS_PRODUCTION',
    ],
    [
      'an instance whose address is a member’s host',
      { staging: { ...STAGING_INSTANCE, privateIps: ['10.0.1.10'] } },
      'staging-is-member',
      'EBS_STAGING_IS_PRODUCTION',
    ],
    [
      'a production-tagged instance',
      { staging: { ...STAGING_INSTANCE, tags: { environment: 'production' } } },
      'production-tag',
      'TARGET_PRODUCTION',
    ],
  ])('the staging guard refuses %s', (_what, overrides, rule, code) => {
    const plan = planEbsSync(syncInput(overrides));
    expect(plan.guard).toMatchObject({ allowed: false, rule, code });
  });

  it('the IAM policy equals the golden file, and no Create/Attach/Detach/Delete statement has a * resource', () => {
    const policy = iamPolicyOf(planEbsSync(syncInput()));
    if (process.env.DBFORK_UPDATE_GOLDEN) writeFileSync(GOLDEN, `${JSON.stringify(policy, null, 2)}\n`);
    expect(policy).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
    const mutating = policy.Statement.filter((s) =>
      s.Action.some((a) => /^ec2:(Create|Attach|Detach|Delete)/.test(a)),
    );
    expect(mutating.length).toBeGreaterThanOrEqual(6);
    for (const s of mutating) expect(s.Resource).not.toContain('*');
    const actions = policy.Statement.flatMap((s) => s.Action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'ssm:GetParameter',
        'kms:Decrypt',
        'ec2:CreateSnapshot',
        'ec2:DeleteSnapshot',
        'ec2:CreateVolume',
        'ec2:AttachVolume',
        'ec2:DetachVolume',
        'ec2:DeleteVolume',
        'ec2:CreateTags',
        'ssm:SendCommand',
        'ssm:GetCommandInvocation',
      ]),
    );
  });
});

describe('planInstallDocuments', () => {
  it('one idempotent install per document, and a policy on exactly those documents', () => {
    const plan = planInstallDocuments({ region: 'eu-west-1' }, '123456789012', [
      { name: 'mongo-restore', content: 'a' },
      { name: 'replica-init', content: 'b' },
    ]);
    expect(plan.operations.map((o) => o.id)).toEqual(['install.mongo-restore', 'install.replica-init']);
    expect(iamPolicyOf(plan).Statement).toEqual([
      {
        Sid: 'InstallDocuments',
        Effect: 'Allow',
        Action: [
          'ssm:CreateDocument',
          'ssm:DescribeDocument',
          'ssm:UpdateDocument',
          'ssm:UpdateDocumentDefaultVersion',
        ],
        Resource: [
          'arn:aws:ssm:eu-west-1:123456789012:document/mongo-restore',
          'arn:aws:ssm:eu-west-1:123456789012:document/replica-init',
        ],
      },
    ]);
  });
});

describe('snapshotsToPrune', () => {
  const snap = (id: string, day: number, state = 'completed'): EbsSnapshot => ({
    id,
    volumeId: 'vol-1',
    state,
    startedAt: `2026-11-${String(day).padStart(2, '0')}T03:00:00.000Z`,
    tags: {},
  });
  const existing = [
    snap('s1', 1),
    snap('s5', 5),
    snap('s3', 3),
    snap('s2', 2, 'error'),
    snap('s4', 4),
    snap('s6', 6, 'pending'),
  ];

  it('keeps the newest keep-1 completed (this run adds one), deletes older and failed ones, leaves pending', () => {
    expect(snapshotsToPrune(existing, 3)).toEqual(['s1', 's2', 's3']);
    expect(snapshotsToPrune(existing, 2)).toEqual(['s1', 's2', 's3', 's4']);
  });

  it('orders snapshots started in the same second by the run that took them, not by their random ids', () => {
    const same = (id: string, run: string): EbsSnapshot => ({
      id,
      volumeId: 'vol-1',
      state: 'completed',
      startedAt: '2026-11-01T03:00:00.000Z',
      tags: { 'dbfork:run': run },
    });
    const older = same('snap-f', newInfraRunId(new Date('2026-11-01T03:00:00.100Z')));
    const newer = same('snap-0', newInfraRunId(new Date('2026-11-01T03:00:00.900Z')));
    expect(snapshotsToPrune([newer, older], 2)).toEqual(['snap-f']);
  });

  it('never deletes the newest completed snapshot, even with keep 1', () => {
    expect(snapshotsToPrune(existing, 1)).toEqual(['s1', 's2', 's3', 's4']);
    expect(snapshotsToPrune([snap('only', 9)], 1)).toEqual([]);
  });

  it('deletes nothing while fewer than keep exist', () => {
    expect(snapshotsToPrune([snap('a', 1), snap('b', 2)], 7)).toEqual([]);
  });
});
