import {
  CreateDBInstanceCommand,
  CreateDBInstanceReadReplicaCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { testServers } from './servers.js';

/** Environment for dbfork processes and SDK clients talking to moto. */
export function motoEnv(): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: testServers().awsEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export function motoRds(): RDSClient {
  const env = motoEnv();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return new RDSClient({
    endpoint: env.AWS_ENDPOINT_URL,
    region: env.AWS_REGION,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}

/** A unique lower-case id prefix per test (moto is shared by every suite). */
export function uniquePrefix(tag: string): string {
  return `${tag}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}

export interface TreeNode {
  readonly id: string;
  readonly parent?: string;
  readonly tags?: Record<string, string>;
  readonly instanceClass?: string;
  readonly port?: number;
}

/** Create a primary (`engine`) and its replicas, parents first. */
export async function createTree(
  rds: RDSClient,
  engine: 'mysql' | 'postgres',
  nodes: readonly TreeNode[],
): Promise<void> {
  for (const node of nodes) {
    const Tags = Object.entries(node.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
    if (node.parent === undefined)
      await rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: node.id,
          Engine: engine,
          DBInstanceClass: node.instanceClass ?? 'db.t3.micro',
          AllocatedStorage: 20,
          MasterUsername: 'admin',
          MasterUserPassword: 'password-1234',
          BackupRetentionPeriod: 1,
          ...(node.port ? { Port: node.port } : {}),
          Tags,
        }),
      );
    else
      await rds.send(
        new CreateDBInstanceReadReplicaCommand({
          DBInstanceIdentifier: node.id,
          SourceDBInstanceIdentifier: node.parent,
          DBInstanceClass: node.instanceClass ?? 'db.t3.micro',
          ...(node.port ? { Port: node.port } : {}),
          Tags,
        }),
      );
  }
}

/** Every instance whose id contains `prefix`, by id. */
export async function instancesWith(rds: RDSClient, prefix: string): Promise<Map<string, DBInstance>> {
  const out = new Map<string, DBInstance>();
  let Marker: string | undefined;
  do {
    const page = await rds.send(new DescribeDBInstancesCommand({ Marker }));
    for (const i of page.DBInstances ?? [])
      if (i.DBInstanceIdentifier?.includes(prefix)) out.set(i.DBInstanceIdentifier, i);
    Marker = page.Marker;
  } while (Marker);
  return out;
}
