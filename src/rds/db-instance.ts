/**
 * One RDS DB instance as dbfork reads it: the subset of a `DescribeDBInstances` entry (plus its tags)
 * the clone planner copies, predicts and compares. Field names follow the RDS API's meaning; absent
 * optional fields were absent from the API answer.
 */
export interface DbInstance {
  readonly id: string;
  /** `arn:aws:rds:<region>:<account>:db:<id>`. */
  readonly arn: string;
  readonly engine: string;
  /** `available`, `creating`, `modifying`, `renaming`, `deleting`, `failed`, … */
  readonly status: string;
  /** The replication source's id; absent for a primary. */
  readonly sourceId?: string;
  /** Ids of this instance's read replicas. */
  readonly replicaIds: readonly string[];
  readonly instanceClass: string;
  readonly storageType?: string;
  readonly iops?: number;
  readonly multiAz: boolean;
  readonly port?: number;
  readonly publiclyAccessible?: boolean;
  readonly vpcId?: string;
  readonly subnetGroup?: string;
  /** Active VPC security group ids. */
  readonly securityGroupIds: readonly string[];
  readonly parameterGroup?: string;
  /** `in-sync`, `applying` or `pending-reboot`. */
  readonly parameterApplyStatus?: string;
  readonly optionGroup?: string;
  /** Days; 0 disables backups (and replicas of this instance). */
  readonly backupRetention: number;
  readonly backupWindow?: string;
  readonly maintenanceWindow?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Statuses in which an instance accepts the next operation. */
const SETTLED = new Set(['available', 'storage-optimization']);

/** Statuses from which an instance never settles by itself: waiting on them fails fast. */
const BROKEN = new Set([
  'failed',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'inaccessible-encryption-credentials',
  'restore-error',
  'storage-full',
]);

/** True when the instance accepts the next operation. */
export function isSettled(instance: DbInstance): boolean {
  return SETTLED.has(instance.status);
}

/** True when the instance is in a state it does not leave by itself. */
export function isBroken(instance: DbInstance): boolean {
  return BROKEN.has(instance.status);
}

/** Live instances by id: the state the planner predicts over and the skip rules look at. */
export type InstanceMap = ReadonlyMap<string, DbInstance>;
