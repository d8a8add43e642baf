import { Storage } from '@google-cloud/storage';
import { beforeAll } from 'vitest';
import { GcsObjectStore } from '../../../src/store/gcs/gcs-object-store.js';
import { objectStoreContract } from '../../helpers/object-store-contract.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const { gcsEndpoint } = testServers();
const storage = new Storage({ apiEndpoint: gcsEndpoint, projectId: 'dbfork-test' });
const bucket = storage.bucket(uniqueDbName('dbfork-contract').toLowerCase().replace(/_/g, '-'));
let n = 0;

beforeAll(async () => {
  await bucket.create();
});

// fake-gcs-server (a real GCS JSON API server on loopback): each test gets a fresh prefix of one bucket
objectStoreContract(
  'GCS on fake-gcs-server',
  async () => new GcsObjectStore({ bucket, prefix: `t${++n}/snapshots` }),
);
