import type { PlanOperation } from '../plan/plan-schema.js';
import type { TargetNode } from './clone-state.js';
import { tempId } from './clone-names.js';
import { copiedAttributes, copyTags, modifyRequest } from './clone-requests.js';
import { planStep, type StepContext } from './plan-step.js';
import type { DbSnapshot } from './rds-port.js';

/**
 * The steps that build `temp-<node>` for one target-tree node: the root as a read replica of
 * `source`, promoted (or, given `snapshot`, restored from it, with the node's subnet group), any other
 * node as a replica of its parent's copy; then the modification RDS only takes after creation
 * (backups for the root and any node with replicas) and, with a parameter group, a reboot step that
 * runs only if the change waits for one.
 */
export function copySteps(
  ctx: StepContext,
  node: TargetNode,
  source: string,
  snapshot: DbSnapshot | undefined,
): PlanOperation[] {
  const { instance, logical, parent } = node;
  const id = tempId(logical);
  const base = { instance: id, logical };
  const Tags = copyTags(instance, ctx.runId, source);
  const out: PlanOperation[] = [];
  if (parent === undefined && snapshot) {
    out.push(
      planStep(ctx, {
        ...base,
        kind: 'rds.restore-snapshot',
        phase: 'copy',
        description: `restore ${id} from snapshot ${snapshot.id} of ${source}`,
        request: {
          DBInstanceIdentifier: id,
          DBSnapshotIdentifier: snapshot.id,
          ...copiedAttributes(instance),
          ...(instance.subnetGroup === undefined ? {} : { DBSubnetGroupName: instance.subnetGroup }),
          Tags,
        },
      }),
    );
  } else {
    const from = parent === undefined ? source : tempId(parent);
    out.push(
      planStep(ctx, {
        ...base,
        kind: 'rds.create-replica',
        phase: 'copy',
        description: `create ${id} as a read replica of ${from}, shaped like ${instance.id}`,
        request: {
          DBInstanceIdentifier: id,
          SourceDBInstanceIdentifier: from,
          ...copiedAttributes(instance),
          Tags,
        },
      }),
    );
    if (parent === undefined)
      out.push(
        planStep(ctx, {
          ...base,
          kind: 'rds.promote',
          phase: 'promote',
          description: `promote ${id} to a standalone primary`,
          request: { DBInstanceIdentifier: id },
        }),
      );
  }
  out.push(
    planStep(ctx, {
      ...base,
      kind: 'rds.modify',
      phase: 'modify',
      description: `set ${id}'s backups, windows and parameter group from ${instance.id}`,
      request: modifyRequest(id, instance, parent === undefined || node.hasReplicas),
    }),
  );
  if (instance.parameterGroup !== undefined)
    out.push(
      planStep(ctx, {
        ...base,
        kind: 'rds.reboot',
        phase: 'reboot',
        description: `reboot ${id} if its parameter group change waits for a reboot`,
        request: { DBInstanceIdentifier: id },
      }),
    );
  return out;
}
