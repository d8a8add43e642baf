import type { Plan } from '../plan/plan-schema.js';
import { partitionOf } from './ebs-connection.js';
import { TAG_MANAGED, TAG_STAGING, TAG_SYNC_OF } from './ebs-tags.js';
import type { Ec2StepParams, InstallDocumentParams, SsmCommandParams } from './sync-params.js';

/** One IAM statement (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html). */
export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface IamPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly IamStatement[];
}

/**
 * The least-privilege policy of an `ebs sync` or `ebs install-documents` plan, derived from its
 * operations. Every ARN is locked to the plan's partition, region and account (`preview.region`,
 * `preview.account`). Ids EC2 assigns while the plan runs (the snapshot, the new volume) cannot be
 * named beforehand: those statements name the resource type and pin it by tag instead — creation only
 * with the `dbfork:managed-by=dbfork` request tag, attach, detach and delete only of volumes tagged for
 * this staging instance, snapshot deletes only of snapshots tagged with this source volume. No
 * `Create*`, `Attach*`, `Detach*` or `Delete*` statement has a `*` resource; `ec2:Describe*`
 * (EC2 cannot scope them) and `ssm:GetCommandInvocation` (no resource type) do.
 */
export function iamPolicyOf(plan: Plan, options: { kmsKeyArn?: string } = {}): IamPolicy {
  const region = String(plan.preview?.region ?? '');
  const account = String(plan.preview?.account ?? '');
  const p = partitionOf(region);
  const ec2 = (type: string, id: string, own = true): string =>
    `arn:${p}:ec2:${region}:${own ? account : ''}:${type}/${id}`;
  const ssm = (type: string, name: string): string =>
    `arn:${p}:ssm:${region}:${account}:${type}/${name.replace(/^\//, '')}`;
  const statements: IamStatement[] = [];
  const add = (s: IamStatement): void => {
    statements.push({ ...s, Resource: [...new Set(s.Resource)].sort() });
  };
  const kinds = new Set(plan.operations.map((o) => o.kind));
  const managed = { StringEquals: { [`aws:RequestTag/${TAG_MANAGED}`]: 'dbfork' } };

  const parameters = (plan.preview?.credentialParameters as string[] | undefined) ?? [];
  if (kinds.has('ebs.lock') && parameters.length > 0) {
    add({
      Sid: 'ReadMongoCredentials',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: parameters.map((n) => ssm('parameter', n)),
    });
    add({
      Sid: 'DecryptMongoCredentials',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [options.kmsKeyArn ?? `arn:${p}:kms:${region}:${account}:key/*`],
      Condition: { StringEquals: { 'kms:ViaService': `ssm.${region}.amazonaws.com` } },
    });
  }
  if (kinds.has('ebs.create-snapshot') || kinds.has('ebs.create-volume'))
    add({
      Sid: 'Describe',
      Effect: 'Allow',
      Action: ['ec2:DescribeInstances', 'ec2:DescribeSnapshots', 'ec2:DescribeVolumes'],
      Resource: ['*'],
    });
  for (const op of plan.operations) {
    const request = ((op.params as Partial<Ec2StepParams>).request ?? {}) as Record<string, unknown>;
    if (op.kind === 'ebs.create-snapshot') {
      add({
        Sid: 'CreateSnapshotOfSourceVolume',
        Effect: 'Allow',
        Action: ['ec2:CreateSnapshot'],
        Resource: [ec2('volume', String(request.VolumeId))],
      });
      add({
        Sid: 'CreateTaggedSnapshot',
        Effect: 'Allow',
        Action: ['ec2:CreateSnapshot'],
        Resource: [ec2('snapshot', '*', false)],
        Condition: managed,
      });
    } else if (op.kind === 'ebs.create-volume') {
      add({
        Sid: 'CreateTaggedVolume',
        Effect: 'Allow',
        Action: ['ec2:CreateVolume'],
        Resource: [ec2('volume', '*')],
        Condition: managed,
      });
      add({
        Sid: 'CreateVolumeFromDbforkSnapshot',
        Effect: 'Allow',
        Action: ['ec2:CreateVolume'],
        Resource: [ec2('snapshot', '*', false)],
        Condition: { StringEquals: { [`aws:ResourceTag/${TAG_MANAGED}`]: 'dbfork' } },
      });
      add({
        Sid: 'TagOnCreate',
        Effect: 'Allow',
        Action: ['ec2:CreateTags'],
        Resource: [ec2('snapshot', '*', false), ec2('volume', '*')],
        Condition: { StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateVolume'] } },
      });
    } else if (op.kind === 'ebs.attach-volume' || op.kind === 'ebs.retire-volume') {
      const attach = op.kind === 'ebs.attach-volume';
      const actions = attach ? ['ec2:AttachVolume'] : ['ec2:DetachVolume'];
      const instance = String(request.InstanceId);
      add({
        Sid: attach ? 'AttachToStagingInstance' : 'DetachFromStagingInstance',
        Effect: 'Allow',
        Action: actions,
        Resource: [ec2('instance', instance)],
      });
      add({
        Sid: attach ? 'AttachStagingVolumes' : 'DetachAndDeleteStagingVolumes',
        Effect: 'Allow',
        Action: attach ? actions : ['ec2:DeleteVolume', 'ec2:DetachVolume'],
        Resource: [ec2('volume', '*')],
        Condition: { StringEquals: { [`aws:ResourceTag/${TAG_STAGING}`]: instance } },
      });
    } else if (op.kind === 'ebs.delete-snapshot') {
      const tags = (request.Tags ?? {}) as Record<string, string>;
      add({
        Sid: 'DeleteOldSnapshots',
        Effect: 'Allow',
        Action: ['ec2:DeleteSnapshot'],
        Resource: [ec2('snapshot', '*', false)],
        Condition: { StringEquals: { [`aws:ResourceTag/${TAG_SYNC_OF}`]: String(tags[TAG_SYNC_OF]) } },
      });
    } else if (op.kind === 'ebs.command') {
      const c = op.params as SsmCommandParams;
      add({
        Sid: 'SendRestoreCommands',
        Effect: 'Allow',
        Action: ['ssm:SendCommand'],
        Resource: [ssm('document', c.document), ec2('instance', c.instanceId)],
      });
      add({
        Sid: 'ReadCommandResults',
        Effect: 'Allow',
        Action: ['ssm:GetCommandInvocation'],
        Resource: ['*'],
      });
    } else if (op.kind === 'ebs.install-document') {
      const d = op.params as InstallDocumentParams;
      add({
        Sid: 'InstallDocuments',
        Effect: 'Allow',
        Action: [
          'ssm:CreateDocument',
          'ssm:DescribeDocument',
          'ssm:UpdateDocument',
          'ssm:UpdateDocumentDefaultVersion',
        ],
        Resource: [ssm('document', d.name)],
      });
    }
  }
  return { Version: '2012-10-17', Statement: merge(statements) };
}

/** Statements with the same Sid as one, resources united. */
function merge(statements: readonly IamStatement[]): IamStatement[] {
  const bySid = new Map<string, IamStatement>();
  for (const s of statements) {
    const found = bySid.get(s.Sid);
    bySid.set(
      s.Sid,
      found ? { ...found, Resource: [...new Set([...found.Resource, ...s.Resource])].sort() } : s,
    );
  }
  return [...bySid.values()];
}
