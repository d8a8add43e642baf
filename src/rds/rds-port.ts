import type { DbInstance } from './db-instance.js';

/** The RDS calls that change something, by their API names. */
export type RdsMutation =
  | 'CreateDBInstanceReadReplica'
  | 'RestoreDBInstanceFromDBSnapshot'
  | 'PromoteReadReplica'
  | 'ModifyDBInstance'
  | 'RebootDBInstance'
  | 'DeleteDBInstance';

/** A request as the RDS API spells it (`DBInstanceIdentifier`, `Tags: [{Key, Value}]`, …): JSON only. */
export type RdsRequest = Readonly<Record<string, unknown>>;

/** A DB snapshot the copy can be restored from. */
export interface DbSnapshot {
  readonly id: string;
  readonly arn: string;
  /** ISO 8601. */
  readonly createdAt: string;
}

/**
 * What the clone needs from RDS, implemented by `src/aws/` (the only code importing the SDK). Every
 * method throws a DbforkError: `TargetError` `RDS_API_FAILED` (label `retryable` for throttling and
 * 5xx answers), or `RDS_ACCESS_DENIED` (policy) when IAM refuses.
 */
export interface RdsApi {
  /** One instance with its tags, or undefined when no instance has that id. */
  describe(id: string): Promise<DbInstance | undefined>;
  /** The newest `available` snapshot of an instance (manual or automated), or undefined. */
  latestSnapshot(instanceId: string): Promise<DbSnapshot | undefined>;
  /** Send one mutating request; returns once RDS accepted it (not once it took effect). */
  mutate(action: RdsMutation, request: RdsRequest): Promise<void>;
  addTags(arn: string, tags: Readonly<Record<string, string>>): Promise<void>;
  removeTags(arn: string, keys: readonly string[]): Promise<void>;
}
