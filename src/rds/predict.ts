import type { DbInstance, InstanceMap } from './db-instance.js';
import type { RdsStepKind } from './clone-steps.js';

type Request = Readonly<Record<string, unknown>>;

/** Modify request fields and the instance fields they set. */
export const MODIFY_FIELDS = {
  BackupRetentionPeriod: 'backupRetention',
  PreferredBackupWindow: 'backupWindow',
  PreferredMaintenanceWindow: 'maintenanceWindow',
  DBParameterGroupName: 'parameterGroup',
} as const satisfies Record<string, keyof DbInstance>;

/**
 * The state after one step, as RDS would leave it once the step settled: a replica attaches to its
 * source, a promotion detaches it, a rename moves the id (and the links that name it), a delete
 * detaches the replicas. Pure: returns a new map. A new parameter group is predicted `pending-reboot`
 * (the planned reboot then shows as needed); the live check decides at run time.
 */
export function predict(state: InstanceMap, kind: RdsStepKind, request: Request): Map<string, DbInstance> {
  const next = new Map(state);
  const id = String(request.DBInstanceIdentifier);
  const current = next.get(id);
  switch (kind) {
    case 'rds.create-replica':
    case 'rds.restore-snapshot': {
      const parentId = kind === 'rds.create-replica' ? String(request.SourceDBInstanceIdentifier) : undefined;
      const parent = parentId === undefined ? undefined : next.get(parentId);
      next.set(id, created(id, request, parent));
      if (parent && parentId !== undefined)
        next.set(parentId, { ...parent, replicaIds: [...parent.replicaIds, id] });
      break;
    }
    case 'rds.promote':
      if (current) {
        detach(next, current);
        next.set(id, withoutSource(current));
      }
      break;
    case 'rds.modify':
      if (current) next.set(id, modified(current, request));
      break;
    case 'rds.reboot':
      if (current) next.set(id, { ...current, parameterApplyStatus: 'in-sync' });
      break;
    case 'rds.rename':
      if (current) rename(next, current, String(request.NewDBInstanceIdentifier));
      break;
    case 'rds.delete':
      if (current) {
        detach(next, current);
        for (const child of current.replicaIds) {
          const replica = next.get(child);
          if (replica) next.set(child, withoutSource(replica));
        }
        next.delete(id);
      }
      break;
  }
  return next;
}

function created(id: string, request: Request, parent: DbInstance | undefined): DbInstance {
  const tags = Object.fromEntries(
    ((request.Tags as { Key: string; Value: string }[] | undefined) ?? []).map((t) => [t.Key, t.Value]),
  );
  const arnBase = parent?.arn.replace(/:db:[^:]+$/, ':db:') ?? 'arn:aws:rds:::db:';
  return {
    id,
    arn: `${arnBase}${id}`,
    engine: parent?.engine ?? '',
    status: 'available',
    ...(parent ? { sourceId: parent.id } : {}),
    replicaIds: [],
    instanceClass: String(request.DBInstanceClass ?? parent?.instanceClass ?? ''),
    multiAz: Boolean(request.MultiAZ),
    securityGroupIds: (request.VpcSecurityGroupIds as string[] | undefined) ?? [],
    backupRetention: 0,
    tags,
  };
}

function modified(instance: DbInstance, request: Request): DbInstance {
  let out: DbInstance = instance;
  for (const [field, key] of Object.entries(MODIFY_FIELDS)) {
    if (request[field] === undefined) continue;
    out = { ...out, [key]: request[field] };
  }
  const newGroup = request.DBParameterGroupName;
  if (newGroup !== undefined && newGroup !== instance.parameterGroup)
    out = { ...out, parameterApplyStatus: 'pending-reboot' };
  return out;
}

function withoutSource(instance: DbInstance): DbInstance {
  const { sourceId: _dropped, ...rest } = instance;
  return rest;
}

/** Remove `instance` from its source's replica list. */
function detach(state: Map<string, DbInstance>, instance: DbInstance): void {
  const parent = instance.sourceId === undefined ? undefined : state.get(instance.sourceId);
  if (parent && instance.sourceId !== undefined)
    state.set(instance.sourceId, {
      ...parent,
      replicaIds: parent.replicaIds.filter((r) => r !== instance.id),
    });
}

function rename(state: Map<string, DbInstance>, instance: DbInstance, newId: string): void {
  const parent = instance.sourceId === undefined ? undefined : state.get(instance.sourceId);
  if (parent && instance.sourceId !== undefined)
    state.set(instance.sourceId, {
      ...parent,
      replicaIds: parent.replicaIds.map((r) => (r === instance.id ? newId : r)),
    });
  for (const child of instance.replicaIds) {
    const replica = state.get(child);
    if (replica) state.set(child, { ...replica, sourceId: newId });
  }
  state.delete(instance.id);
  state.set(newId, { ...instance, id: newId, arn: instance.arn.replace(/:db:[^:]+$/, `:db:${newId}`) });
}
