import type { Plan } from '../plan/plan-schema.js';
import { OLD_PREFIX } from './clone-names.js';
import { RDS_STEP_ACTIONS, type RdsStepKind } from './clone-steps.js';

/** An IAM policy document (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html). */
export interface IamPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly {
    readonly Sid: string;
    readonly Effect: 'Allow';
    readonly Action: readonly string[];
    readonly Resource: readonly string[];
  }[];
}

/** Request fields naming other RDS resources, and their ARN resource types. */
const NAMED_RESOURCES: Readonly<Record<string, string>> = {
  DBParameterGroupName: 'pg',
  OptionGroupName: 'og',
  DBSubnetGroupName: 'subgrp',
};

/** Statement order in the document. */
const ORDER = [
  'DescribeDBInstances',
  'DescribeDBSnapshots',
  'CreateDBInstanceReadReplica',
  'RestoreDBInstanceFromDBSnapshot',
  'AddTagsToResource',
  'RemoveTagsFromResource',
  'PromoteReadReplica',
  'ModifyDBInstance',
  'RebootDBInstance',
  'DeleteDBInstance',
];

/**
 * The least-privilege policy a clone plan needs, derived from its operations: every ARN is locked to
 * the plan's partition, region and account (`preview.arnPrefix`) and to the ids the plan names; no
 * statement has a wildcard resource. Per action:
 * - DescribeDBInstances: every instance the plan reads (`preview.described`);
 * - DescribeDBSnapshots: the source and the snapshot (snapshot mode);
 * - Create/Restore: the source or snapshot, the new copy, and the parameter, option and subnet
 *   groups named in the request; AddTagsToResource on the copy (tags are set at creation);
 * - Add/RemoveTagsFromResource: the target root under both names (the run lock);
 * - PromoteReadReplica, RebootDBInstance: the instance; ModifyDBInstance: the instance, its new name
 *   for a rename, and the groups named;
 * - DeleteDBInstance: only `old-*` instances.
 *
 * @throws Error when a delete names an instance outside `old-*` (a planner bug, never a policy)
 */
export function iamPolicyOf(plan: Plan): IamPolicy {
  const prefix = String(plan.preview?.arnPrefix ?? '');
  const arn = (type: string, id: string): string => `${prefix}:${type}:${id}`;
  const grants = new Map<string, Set<string>>();
  const grant = (action: string, resources: readonly string[]): void => {
    const set = grants.get(action) ?? new Set<string>();
    resources.forEach((r) => set.add(r));
    grants.set(action, set);
  };
  const described = (plan.preview?.described as string[] | undefined) ?? [];
  grant(
    'DescribeDBInstances',
    described.map((id) => arn('db', id)),
  );
  for (const op of plan.operations) {
    const params = op.params as {
      request?: Record<string, unknown>;
      ids?: string[];
      target?: string;
      source?: string;
    };
    if (op.kind === 'rds.lease' || op.kind === 'rds.release') {
      const ids = op.kind === 'rds.lease' ? [String(params.target)] : (params.ids ?? []);
      grant(
        op.kind === 'rds.lease' ? 'AddTagsToResource' : 'RemoveTagsFromResource',
        ids.map((id) => arn('db', id)),
      );
      if (op.kind === 'rds.lease')
        grant('AddTagsToResource', [arn('db', `${OLD_PREFIX}${String(params.target)}`)]);
      continue;
    }
    if (!(op.kind in RDS_STEP_ACTIONS)) continue;
    const action = RDS_STEP_ACTIONS[op.kind as RdsStepKind];
    const request = params.request ?? {};
    const id = String(request.DBInstanceIdentifier);
    const resources = [arn('db', id)];
    for (const [field, type] of Object.entries(NAMED_RESOURCES))
      if (typeof request[field] === 'string') resources.push(arn(type, request[field] as string));
    if (typeof request.SourceDBInstanceIdentifier === 'string')
      resources.push(arn('db', request.SourceDBInstanceIdentifier));
    if (typeof request.DBSnapshotIdentifier === 'string') {
      resources.push(arn('snapshot', request.DBSnapshotIdentifier));
      grant('DescribeDBSnapshots', [
        arn('snapshot', request.DBSnapshotIdentifier),
        arn('db', String(plan.preview?.source)),
      ]);
    }
    if (typeof request.NewDBInstanceIdentifier === 'string')
      resources.push(arn('db', request.NewDBInstanceIdentifier));
    if (action === 'DeleteDBInstance' && !id.startsWith(OLD_PREFIX))
      throw new Error(`a clone plan deletes ${id}, which is not an ${OLD_PREFIX}* instance`);
    grant(action, resources);
    if (Array.isArray(request.Tags)) grant('AddTagsToResource', [arn('db', id)]);
  }
  return {
    Version: '2012-10-17',
    Statement: ORDER.filter((a) => (grants.get(a)?.size ?? 0) > 0).map((action) => ({
      Sid: action,
      Effect: 'Allow' as const,
      Action: [`rds:${action}`],
      Resource: [...grants.get(action)!].sort(),
    })),
  };
}
