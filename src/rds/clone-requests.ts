import type { DbInstance } from './db-instance.js';
import { isDbforkTag, TAG_ANONYMIZED, TAG_CLONE_OF, TAG_RUN } from './clone-tags.js';

type Request = Record<string, string | number | boolean | string[] | { Key: string; Value: string }[]>;

/**
 * The tags of a copy: the target-tree node's own (dbfork's left out), then the run, the source and
 * the raw-copy record. Sorted by key.
 */
export function copyTags(node: DbInstance, runId: string, source: string): { Key: string; Value: string }[] {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(node.tags)) if (!isDbforkTag(key)) tags[key] = value;
  tags[TAG_RUN] = runId;
  tags[TAG_CLONE_OF] = source;
  tags[TAG_ANONYMIZED] = 'false';
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key]! }));
}

/** The attributes a copy takes from the node it replaces, as create/restore request fields. */
export function copiedAttributes(node: DbInstance): Request {
  return {
    DBInstanceClass: node.instanceClass,
    ...(node.storageType === undefined ? {} : { StorageType: node.storageType }),
    ...(node.iops === undefined ? {} : { Iops: node.iops }),
    MultiAZ: node.multiAz,
    ...(node.port === undefined ? {} : { Port: node.port }),
    ...(node.publiclyAccessible === undefined ? {} : { PubliclyAccessible: node.publiclyAccessible }),
    ...(node.securityGroupIds.length > 0 ? { VpcSecurityGroupIds: [...node.securityGroupIds] } : {}),
    // a default option group (`default:mysql-8-0`) is what RDS picks anyway: naming it adds nothing
    ...(node.optionGroup === undefined || node.optionGroup.startsWith('default:')
      ? {}
      : { OptionGroupName: node.optionGroup }),
  };
}

/**
 * The settings a copy gets once it exists (RDS takes them only by modification): windows, the
 * parameter group, and backups, which a source of replicas needs (at least one day).
 */
export function modifyRequest(copyId: string, node: DbInstance, needsBackups: boolean): Request {
  return {
    DBInstanceIdentifier: copyId,
    ApplyImmediately: true,
    ...(needsBackups ? { BackupRetentionPeriod: Math.max(node.backupRetention, 1) } : {}),
    ...(node.backupWindow === undefined ? {} : { PreferredBackupWindow: node.backupWindow }),
    ...(node.maintenanceWindow === undefined ? {} : { PreferredMaintenanceWindow: node.maintenanceWindow }),
    ...(node.parameterGroup === undefined ? {} : { DBParameterGroupName: node.parameterGroup }),
  };
}
