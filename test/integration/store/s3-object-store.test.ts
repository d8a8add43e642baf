import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { S3ObjectStore } from '../../../src/store/s3/s3-object-store.js';
import { objectStoreContract } from '../../helpers/object-store-contract.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const { awsEndpoint } = testServers();
const client = new S3Client({
  endpoint: awsEndpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});
const bucket = uniqueDbName('dbfork-contract').toLowerCase().replace(/_/g, '-');
let n = 0;

beforeAll(async () => {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(() => client.destroy());

// moto (a real S3 API server, in process on loopback): each test gets a fresh prefix of one bucket
objectStoreContract(
  'S3 on moto',
  async () => new S3ObjectStore({ client, bucket, prefix: `t${++n}/snapshots`, partSize: 5 * 1024 * 1024 }),
);
