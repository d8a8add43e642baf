import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

describe.each([
  ['source', servers.sourceUri],
  ['target', servers.targetUri],
])('FerretDB %s server', (_name, uri) => {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  const db = uniqueDbName('servers');
  afterAll(async () => {
    await client.db(db).dropDatabase();
    await client.close();
  });

  it('stores a document and finds it again', async () => {
    const coll = client.db(db).collection<{ _id: number; name: string }>('people');
    await coll.insertOne({ _id: 1, name: 'Ada' });
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, name: 'Ada' });
    expect(await coll.countDocuments()).toBe(1);
  });
});

describe('the two FerretDB instances', () => {
  it('are separate servers with separate data', async () => {
    const db = uniqueDbName('servers_sep');
    const source = new MongoClient(servers.sourceUri);
    const target = new MongoClient(servers.targetUri);
    try {
      await source.db(db).collection('only_here').insertOne({ x: 1 });
      const targetDbs = await target.db('admin').admin().listDatabases();
      expect(targetDbs.databases.map((d) => d.name)).not.toContain(db);
    } finally {
      await source.db(db).dropDatabase();
      await source.close();
      await target.close();
    }
  });
});
