import {
  AddTagsToResourceCommand,
  CreateDBInstanceReadReplicaCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBInstanceCommand,
  PromoteReadReplicaCommand,
  RebootDBInstanceCommand,
  RemoveTagsFromResourceCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  type DBInstance,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { DbInstance } from '../rds/db-instance.js';
import type { DbSnapshot, RdsApi, RdsMutation, RdsRequest } from '../rds/rds-port.js';
import { rdsFailure } from './rds-failure.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- requests are the API's own shapes, checked by the plan schema */
const MUTATIONS: Readonly<Record<RdsMutation, new (input: any) => any>> = {
  CreateDBInstanceReadReplica: CreateDBInstanceReadReplicaCommand,
  RestoreDBInstanceFromDBSnapshot: RestoreDBInstanceFromDBSnapshotCommand,
  PromoteReadReplica: PromoteReadReplicaCommand,
  ModifyDBInstance: ModifyDBInstanceCommand,
  RebootDBInstance: RebootDBInstanceCommand,
  DeleteDBInstance: DeleteDBInstanceCommand,
};
/* eslint-enable @typescript-eslint/no-explicit-any */

/** {@link RdsApi} over the AWS SDK's RDS client. */
export class AwsRdsApi implements RdsApi {
  readonly #client: RDSClient;

  constructor(client: RDSClient) {
    this.#client = client;
  }

  async describe(id: string): Promise<DbInstance | undefined> {
    try {
      const out = await this.#client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
      const found = out.DBInstances?.[0];
      return found ? toInstance(found) : undefined;
    } catch (error) {
      if ((error as { name?: string }).name === 'DBInstanceNotFoundFault') return undefined;
      throw rdsFailure('DescribeDBInstances', error);
    }
  }

  async latestSnapshot(instanceId: string): Promise<DbSnapshot | undefined> {
    const snapshots: DbSnapshot[] = [];
    let marker: string | undefined;
    try {
      do {
        const out = await this.#client.send(
          new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: instanceId, Marker: marker }),
        );
        for (const s of out.DBSnapshots ?? [])
          if (s.Status === 'available' && s.DBSnapshotIdentifier && s.SnapshotCreateTime)
            snapshots.push({
              id: s.DBSnapshotIdentifier,
              arn: s.DBSnapshotArn ?? '',
              createdAt: s.SnapshotCreateTime.toISOString(),
            });
        marker = out.Marker;
      } while (marker);
    } catch (error) {
      throw rdsFailure('DescribeDBSnapshots', error);
    }
    return snapshots.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  }

  async mutate(action: RdsMutation, request: RdsRequest): Promise<void> {
    try {
      await this.#client.send(new MUTATIONS[action](request));
    } catch (error) {
      throw rdsFailure(action, error);
    }
  }

  async addTags(arn: string, tags: Readonly<Record<string, string>>): Promise<void> {
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    try {
      await this.#client.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags }));
    } catch (error) {
      throw rdsFailure('AddTagsToResource', error);
    }
  }

  async removeTags(arn: string, keys: readonly string[]): Promise<void> {
    try {
      await this.#client.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: [...keys] }));
    } catch (error) {
      throw rdsFailure('RemoveTagsFromResource', error);
    }
  }
}

/** The SDK's instance as dbfork's. */
function toInstance(i: DBInstance): DbInstance {
  const pg = i.DBParameterGroups?.[0];
  const og = i.OptionGroupMemberships?.[0];
  const opt = <K extends keyof DbInstance>(key: K, value: DbInstance[K] | undefined) =>
    value === undefined || value === null ? {} : { [key]: value };
  return {
    id: i.DBInstanceIdentifier ?? '',
    arn: i.DBInstanceArn ?? '',
    engine: i.Engine ?? '',
    status: i.DBInstanceStatus ?? 'unknown',
    ...opt('sourceId', i.ReadReplicaSourceDBInstanceIdentifier),
    replicaIds: i.ReadReplicaDBInstanceIdentifiers ?? [],
    instanceClass: i.DBInstanceClass ?? '',
    ...opt('storageType', i.StorageType),
    ...opt('iops', i.Iops),
    multiAz: Boolean(i.MultiAZ),
    ...opt('port', i.Endpoint?.Port ?? i.DbInstancePort),
    ...opt('publiclyAccessible', i.PubliclyAccessible),
    ...opt('vpcId', i.DBSubnetGroup?.VpcId),
    ...opt('subnetGroup', i.DBSubnetGroup?.DBSubnetGroupName),
    securityGroupIds: (i.VpcSecurityGroups ?? [])
      .filter((g) => g.Status === 'active' && g.VpcSecurityGroupId)
      .map((g) => g.VpcSecurityGroupId!),
    ...opt('parameterGroup', pg?.DBParameterGroupName),
    ...opt('parameterApplyStatus', pg?.ParameterApplyStatus),
    ...opt('optionGroup', og?.OptionGroupName),
    backupRetention: i.BackupRetentionPeriod ?? 0,
    ...opt('backupWindow', i.PreferredBackupWindow),
    ...opt('maintenanceWindow', i.PreferredMaintenanceWindow),
    tags: Object.fromEntries((i.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
  };
}
